// Each test runs the whole platform; one at a time keeps them inside their deadlines on a small machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
