namespace Sandbox.Worker.Engine;

/// <summary>
/// A chunk file that is complete but not yet durable: <see cref="MakeDurable"/> flushes it to disk,
/// gives it its final name and checksums it.
/// </summary>
internal sealed class ClosedChunk(string partialPath, string finalPath, ChunkRecord record)
{
    /// <summary>The chunk's record, complete with size and checksum, once the file is on disk under its final name.</summary>
    public ChunkRecord MakeDurable()
    {
        Interop.DurableFile.Flush(partialPath);
        File.Move(partialPath, finalPath, overwrite: true);
        return record with { Bytes = new FileInfo(finalPath).Length, Sha256 = ChunkWriter.Checksum(finalPath) };
    }
}
