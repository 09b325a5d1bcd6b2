using System.Diagnostics;
using Archivum.Archive.Security;

namespace Archivum.Archive.Tests.Security;

/// <summary>
/// Argon2id hashes checked both ways against argon2-cffi (the Python binding of the reference
/// implementation, Debian's python3-argon2): it verifies ours, we verify its.
/// </summary>
public sealed class PasswordHasherTests
{
    private static (int ExitCode, string Output) Python(string script, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Trim() + error.Result);
    }

    private static void RequireArgon2Cffi() =>
        Assert.True(Python("import argon2").ExitCode == 0, "argon2-cffi is missing: run ./test.sh as root (it installs python3-argon2)");

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("pässwörd-with-ünïcode ✓")]
    [InlineData(":colons:in:it:")]
    public void The_reference_implementation_verifies_our_hashes(string password)
    {
        RequireArgon2Cffi();
        string hash = PasswordHasher.Hash(password);
        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", hash, StringComparison.Ordinal);
        const string Verify = "import sys, argon2\ntry:\n    print(argon2.PasswordHasher().verify(sys.argv[1], sys.argv[2]))\nexcept argon2.exceptions.VerifyMismatchError:\n    print('mismatch')";
        Assert.Equal("True", Python(Verify, hash, password).Output);
        Assert.Equal("mismatch", Python(Verify, hash, password + "x").Output);
        Assert.False(PasswordHasher.Verify("", hash)); // an empty password is refused, not an error
    }

    [Fact]
    public void We_verify_the_reference_implementations_hashes()
    {
        RequireArgon2Cffi();
        // Other parameters than ours (64 MiB, 3 passes, 4 lanes, a 16-byte hash): they travel in the string.
        var (code, hash) = Python("import sys, argon2\nprint(argon2.PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4, hash_len=16).hash(sys.argv[1]))", "s3cret-Passw0rd");
        Assert.Equal(0, code);
        Assert.True(PasswordHasher.Verify("s3cret-Passw0rd", hash), hash);
        Assert.False(PasswordHasher.Verify("s3cret-passw0rd", hash));
    }

    [Theory]
    [InlineData("")]
    [InlineData("$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA")]   // Argon2i, not id
    [InlineData("$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA")]  // version 1.0
    [InlineData("$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA")] // 95 GiB: refused, not attempted
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$not base64!$aGFzaA")]
    [InlineData("plain text")]
    public void A_malformed_or_hostile_hash_never_verifies(string hash) => Assert.False(PasswordHasher.Verify("anything", hash));
}
