// torch.manual_seed and libtorch's thread pool are process-global: tests that seed and build models must
// not interleave, and libtorch already uses both cores of the target machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
