using ReSpike.Distributed;
using ReSpike.Training;
using TorchSharp;

namespace ReSpike.Tests.Distributed;

/// <summary>How ranks share an epoch (no MPI needed): disjoint shards, the micro-batches of accumulation, a short last step, launch detection.</summary>
public class StepLayoutTests
{
    [Fact]
    public void Ranks_take_disjoint_shards_that_together_are_the_micro_batches_of_one_accumulating_process()
    {
        const int clips = 23;
        var ranks = Enumerable.Range(0, 3).Select(r => new StepLayout(MicroBatch: 2, Accumulate: 2, Ranks: 3, Rank: r).LocalMicroBatches(clips, 0).ToList()).ToList();
        var single = new StepLayout(MicroBatch: 2, Accumulate: 6).LocalMicroBatches(clips, 0).ToList();

        // 12 clips per step: steps 0 and 1 (the second takes the 11 left)
        Assert.Equal(2, new StepLayout(2, 2, 3).Steps(clips, 0));
        Assert.Equal(single.OrderBy(m => m.Start), ranks.SelectMany(r => r).OrderBy(m => m.Start));
        var covered = ranks.SelectMany(r => r).SelectMany(m => Enumerable.Range(m.Start, m.Count)).Order().ToList();
        Assert.Equal(Enumerable.Range(0, clips), covered);
        // rank 1 gets micro-batches 2 and 3 of each step; in the short last step rank 2 gets the odd clip only
        Assert.Equal(new[] { (0, 4, 2), (0, 6, 2), (1, 16, 2), (1, 18, 2) }, ranks[1]);
        Assert.Equal(new[] { (0, 8, 2), (0, 10, 2), (1, 20, 2), (1, 22, 1) }, ranks[2]);
    }

    [Fact]
    public void A_resumed_epoch_continues_at_the_saved_clip_position_with_its_own_global_batch()
    {
        // 2 ranks x 2 clips stopped after 3 steps = clip 12; one process of batch 4 continues there
        var rest = new StepLayout(MicroBatch: 4).LocalMicroBatches(clips: 20, position: 12).ToList();
        Assert.Equal(new[] { (0, 12, 4), (1, 16, 4) }, rest);
        Assert.Equal(0, new StepLayout(4).Steps(20, 20));
    }

    [Fact]
    public void Mpi_is_detected_from_the_launchers_variables_and_Open_MPI_is_recognised()
    {
        Assert.False(MpiLaunch.Detected(_ => null));
        Assert.True(MpiLaunch.Detected(v => v == "PMI_SIZE" ? "2" : null));
        Assert.True(MpiLaunch.Detected(v => v == "PMIX_RANK" ? "0" : null));
        Assert.False(MpiLaunch.OpenMpi(v => v == "PMI_SIZE" ? "2" : null));
        Assert.True(MpiLaunch.OpenMpi(v => v == "OMPI_COMM_WORLD_SIZE" ? "2" : null));
    }

    [Fact]
    public void Gradient_buckets_pack_parameters_up_to_the_cap_and_scale_the_summed_gradients()
    {
        var parameters = new[] { 300L, 200, 600, 100 }.Select(n => torch.ones(n, requires_grad: true)).ToList();
        using var buckets = new GradientBuckets(parameters, bucketBytes: 2400);   // 600 floats a bucket: [300, 200], [600], [100]
        Assert.Equal(3, buckets.Count);
        Assert.Equal(1200 * 4, buckets.Bytes);
        buckets.MaterialiseGradients();
        Assert.All(parameters, p => Assert.Equal(0f, p.grad!.abs().sum().item<float>()));
        foreach (var (p, i) in parameters.Select((p, i) => (p, i))) p.grad!.fill_(i + 1);
        buckets.AllreduceAndScale(SingleProcess.Instance, 0.5, "test");
        Assert.Equal(new[] { 0.5f, 1f, 1.5f, 2f }, parameters.Select(p => p.grad![0].item<float>()));
    }
}
