namespace ReSpike.Data;

/// <summary>Which half of a split: train or test (the reference evaluates on the test list).</summary>
public enum DatasetSubset { Train, Test }
