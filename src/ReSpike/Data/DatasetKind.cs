using ReSpike.Registry;

namespace ReSpike.Data;

/// <summary>The dataset layouts the loaders understand (names are the CLI's --dataset values).</summary>
public enum DatasetKind { Synthetic, Ucf101, Hmdb51, Kinetics400, Folder, Rawframes, Idx, ImageFolder }

/// <summary>The --dataset names of <see cref="DatasetKind"/> and the parsing between them.</summary>
public static class DatasetKinds
{
    /// <summary>The --dataset choices.</summary>
    public static Registry<DatasetEntry> Registry { get; } = Build();

    static Registry<DatasetEntry> Build()
    {
        var r = new Registry<DatasetEntry>("dataset", "--dataset");
        r.Add(new("synthetic", "built in, no files: motion-only and appearance classes generated in memory", DatasetKind.Synthetic));
        r.Add(new("ucf101", "UCF-101 layout: videos, classInd.txt, train/testlist0N.txt", DatasetKind.Ucf101));
        r.Add(new("hmdb51", "HMDB-51 layout: videos per class, split files *_test_splitN.txt", DatasetKind.Hmdb51));
        r.Add(new("kinetics400", "Kinetics-400: CSV or 'path label' annotation lists", DatasetKind.Kinetics400), "kinetics", "k400");
        r.Add(new("folder", "root/<class>/<video> (train/ and test/ folders, or every 5th video held out)", DatasetKind.Folder));
        r.Add(new("rawframes", "mmaction2 rawframes: frame folders and a 'dir frames label' list", DatasetKind.Rawframes));
        r.Add(new("idx", "images: MNIST-style IDX files (Fashion-MNIST, MNIST), each image a 1-frame clip", DatasetKind.Idx), "fashion-mnist", "mnist");
        r.Add(new("image-folder", "images: root/train/<class>/*.png|jpg and root/val/<class>/* (ImageNet layout), each image a 1-frame clip",
                  DatasetKind.ImageFolder), "imagefolder");
        return r;
    }

    public static IReadOnlyList<string> Names => Registry.Names;

    public static DatasetKind Parse(string name) => Registry.Get(name).Kind;
}
