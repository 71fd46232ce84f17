namespace Sandbox.Worker.Interop;

/// <summary>
/// An <c>AVDictionary</c> of options. An empty dictionary is a null pointer, and FFmpeg functions
/// take it as <c>AVDictionary**</c> and may replace or consume it, so callers pass
/// <see cref="Pointer"/> by reference; whatever is left is freed with the handle.
/// </summary>
internal sealed class DictionaryHandle : FFmpegHandle
{
    public ref nint Pointer => ref handle;

    public static DictionaryHandle From(IEnumerable<KeyValuePair<string, string>> entries)
    {
        var dictionary = new DictionaryHandle();
        foreach (var (key, value) in entries)
        {
            dictionary.Set(key, value);
        }

        return dictionary;
    }

    public void Set(string key, string value) =>
        FFmpegException.ThrowIfError(LibAVUtil.av_dict_set(ref handle, key, value, 0), $"av_dict_set({key})");

    protected override bool ReleaseHandle()
    {
        LibAVUtil.av_dict_free(ref handle);
        return true;
    }
}
