namespace ReSpike.IO.SafeTensors;

/// <summary>One tensor's header record: where its bytes are, relative to the start of the data section.</summary>
public sealed record SafeTensorsEntry(string Name, SafeTensorsDType DType, long[] Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;

    public string ShapeText => IO.ShapeText.Format(Shape);
}
