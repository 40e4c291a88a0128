using Platform.SimRunner.Signals;

namespace Platform.SimRunner.Tests;

public sealed class SignalRegistryTests
{
    private double _x = 1.5;
    private readonly SignalRegistry _registry = new();

    public SignalRegistryTests()
    {
        _registry.Register("robot0", "x", "m", () => _x, v => _x = v);
        _registry.Register("robot0", "vx", "m/s", () => 2.0);
        _registry.Register("robot1", "x", "m", () => 3.0);
        _registry.Register("sim", "step", "count", () => 42);
    }

    [Fact]
    public void ReadsByQualifiedNameAndDescribesUnits()
    {
        Assert.Equal(1.5, _registry.Read("robot0.x"));
        Assert.Equal(42, _registry.Read("sim.step"));
        Assert.Throws<KeyNotFoundException>(() => _registry.Read("robot9.x"));
        var d = Assert.Single(_registry.Describe(), s => s.Name == "robot0.vx");
        Assert.Equal(("robot0", "m/s", false), (d.Module, d.Unit, d.Writable));
        Assert.Equal(["robot0", "robot1", "sim"], _registry.Modules);
    }

    [Fact]
    public void SetsWritableSignalsAndRefusesTheRestWithAReason()
    {
        Assert.True(_registry.TrySet("robot0.x", -4, out _));
        Assert.Equal(-4, _x);
        Assert.False(_registry.TrySet("robot0.vx", 1, out var readOnly));
        Assert.Contains("read-only", readOnly);
        Assert.False(_registry.TrySet("nope.x", 1, out var unknown));
        Assert.Contains("unknown signal", unknown);
        Assert.False(_registry.TrySet("robot0.x", double.NaN, out var nan));
        Assert.Contains("finite", nan);
        Assert.Equal(-4, _x);
    }

    [Theory]
    [InlineData("*", new[] { "robot0.x", "robot0.vx", "robot1.x", "sim.step" })]
    [InlineData("robot0.*", new[] { "robot0.x", "robot0.vx" })]
    [InlineData("sim.step", new[] { "sim.step" })]
    [InlineData("robot2.*", new string[0])]
    [InlineData("robot0.y", new string[0])]
    [InlineData("robot", new string[0])]
    public void ExpandsPatternsInRegistrationOrder(string pattern, string[] expected)
        => Assert.Equal(expected, _registry.Expand(pattern));

    [Fact]
    public void ExpandingSeveralPatternsDropsDuplicates()
        => Assert.Equal(["sim.step", "robot0.x", "robot0.vx"], _registry.Expand(["sim.step", "robot0.*", "robot0.x", "sim.*"]));

    [Theory]
    [InlineData("", "x")]
    [InlineData("a.b", "x")]
    [InlineData("robot0", "*")]
    [InlineData("robot0", "x")]
    public void RefusesInvalidOrDuplicateNames(string module, string name)
        => Assert.Throws<ArgumentException>(() => _registry.Register(module, name, "m", () => 0));

    [Fact]
    public void ReadsEveryValueInOrder()
    {
        var values = new double[_registry.Count];
        _registry.ReadAll(values);
        Assert.Equal([1.5, 2.0, 3.0, 42.0], values);
        Assert.Throws<ArgumentException>(() => _registry.ReadAll(new double[2]));
    }
}
