using System.Runtime.InteropServices;
using System.Text;

namespace Archivum.Imaging.Codecs;

/// <summary>
/// OpenJPEG's streams over memory: a pinned codestream to read, a growing buffer to write, and
/// the library's error messages collected for the exception. The callbacks never let an exception
/// cross into native code.
/// </summary>
internal static unsafe class OpenJpegStreams
{
    private static readonly nuint Failed = nuint.MaxValue;

    /// <summary>What a reading stream's callbacks see: the pinned bytes and the position.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Source
    {
        public byte* Data;
        public long Length;
        public long Position;
    }

    /// <summary>A stream reading <paramref name="source"/> (which must stay pinned and alive until the stream is destroyed).</summary>
    public static IntPtr Reading(Source* source)
    {
        IntPtr stream = OpenJpeg.StreamCreate(1 << 20, 1);
        OpenJpeg.StreamSetReadFunction(stream, &Read);
        OpenJpeg.StreamSetSkipFunction(stream, &SkipSource);
        OpenJpeg.StreamSetSeekFunction(stream, &SeekSource);
        OpenJpeg.StreamSetUserData(stream, (IntPtr)source, IntPtr.Zero);
        OpenJpeg.StreamSetUserDataLength(stream, (ulong)source->Length);
        return stream;
    }

    /// <summary>A stream writing into the <see cref="MemoryStream"/> behind <paramref name="target"/> (a GCHandle).</summary>
    public static IntPtr Writing(GCHandle target)
    {
        IntPtr stream = OpenJpeg.StreamCreate(1 << 20, 0);
        OpenJpeg.StreamSetWriteFunction(stream, &Write);
        OpenJpeg.StreamSetSkipFunction(stream, &SkipTarget);
        OpenJpeg.StreamSetSeekFunction(stream, &SeekTarget);
        OpenJpeg.StreamSetUserData(stream, GCHandle.ToIntPtr(target), IntPtr.Zero);
        return stream;
    }

    /// <summary>Collects the codec's error messages into the <see cref="StringBuilder"/> behind <paramref name="messages"/>.</summary>
    public static bool CollectErrors(IntPtr codec, GCHandle messages) =>
        OpenJpeg.SetErrorHandler(codec, &Error, GCHandle.ToIntPtr(messages)) != 0;

    [UnmanagedCallersOnly]
    private static nuint Read(byte* buffer, nuint count, IntPtr user)
    {
        var source = (Source*)user;
        long left = source->Length - source->Position;
        if (left <= 0)
        {
            return Failed; // OpenJPEG's end of stream
        }
        long n = Math.Min(left, (long)count);
        Buffer.MemoryCopy(source->Data + source->Position, buffer, (long)count, n);
        source->Position += n;
        return (nuint)n;
    }

    [UnmanagedCallersOnly]
    private static long SkipSource(long count, IntPtr user)
    {
        var source = (Source*)user;
        long target = Math.Clamp(source->Position + count, 0, source->Length);
        long skipped = target - source->Position;
        source->Position = target;
        return skipped == 0 && count != 0 ? -1 : skipped;
    }

    [UnmanagedCallersOnly]
    private static int SeekSource(long position, IntPtr user)
    {
        var source = (Source*)user;
        if (position < 0 || position > source->Length)
        {
            return 0;
        }
        source->Position = position;
        return 1;
    }

    [UnmanagedCallersOnly]
    private static nuint Write(byte* buffer, nuint count, IntPtr user)
    {
        try
        {
            var target = (MemoryStream)GCHandle.FromIntPtr(user).Target!;
            target.Write(new ReadOnlySpan<byte>(buffer, checked((int)count)));
            return count;
        }
        catch (Exception e) when (e is IOException or OverflowException or NotSupportedException or OutOfMemoryException)
        {
            return Failed;
        }
    }

    [UnmanagedCallersOnly]
    private static long SkipTarget(long count, IntPtr user)
    {
        var target = (MemoryStream)GCHandle.FromIntPtr(user).Target!;
        if (target.Position + count < 0)
        {
            return -1;
        }
        target.Position += count;
        return count;
    }

    [UnmanagedCallersOnly]
    private static int SeekTarget(long position, IntPtr user)
    {
        var target = (MemoryStream)GCHandle.FromIntPtr(user).Target!;
        if (position < 0)
        {
            return 0;
        }
        target.Position = position;
        return 1;
    }

    [UnmanagedCallersOnly]
    private static void Error(byte* message, IntPtr user)
    {
        var messages = (StringBuilder)GCHandle.FromIntPtr(user).Target!;
        lock (messages)
        {
            if (messages.Length < 1000)
            {
                messages.Append(Marshal.PtrToStringUTF8((IntPtr)message)?.Trim()).Append("; ");
            }
        }
    }
}
