namespace Archivum.Cli.Security;

/// <summary>A password from the terminal (typed twice, not echoed) or, with <c>--password-stdin</c>, the first line of standard input (scripts).</summary>
internal static class PasswordInput
{
    public static string Read(bool fromStdin)
    {
        if (fromStdin || Console.IsInputRedirected)
        {
            return Console.In.ReadLine() ?? throw new ArgumentException("no password on standard input");
        }
        string first = Prompt("Password: ");
        if (Prompt("Again: ") != first)
        {
            throw new ArgumentException("the two passwords differ");
        }
        return first;
    }

    private static string Prompt(string label)
    {
        Console.Error.Write(label);
        var typed = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return typed.ToString();
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }
    }
}
