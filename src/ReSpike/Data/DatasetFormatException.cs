namespace ReSpike.Data;

/// <summary>A malformed annotation/split file; the message names the file and the line.</summary>
public sealed class DatasetFormatException : IOException
{
    public DatasetFormatException(string file, int line, string problem)
        : base(line > 0 ? $"{file}:{line}: {problem}" : $"{file}: {problem}")
    {
        File = file;
        Line = line;
    }

    public string File { get; }
    public int Line { get; }
}
