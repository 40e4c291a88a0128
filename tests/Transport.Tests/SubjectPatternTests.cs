using Platform.Transport.Telemetry;

namespace Platform.Transport.Tests;

public sealed class SubjectPatternTests
{
    [Theory]
    [InlineData(">", "telemetry.sim.state", true)]
    [InlineData("telemetry.>", "telemetry.sim.state", true)]
    [InlineData("telemetry.>", "telemetry", false)]
    [InlineData("telemetry.*", "telemetry.sim.state", false)]
    [InlineData("telemetry.*.state", "telemetry.sim.state", true)]
    [InlineData("telemetry.sim.*", "telemetry.sim", false)]
    [InlineData("safety.state", "safety.state", true)]
    [InlineData("safety.state", "safety.stately", false)]
    [InlineData("safety", "safety.state", false)]
    [InlineData("*.state", "safety.state", true)]
    public void Nats_wildcards(string pattern, string subject, bool matches)
    {
        Assert.True(SubjectPattern.TryParse(pattern, out var p, out var error), error);
        Assert.Equal(matches, p!.Matches(subject));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a..b")]
    [InlineData("a.>.b")]
    [InlineData("a.b*")]
    [InlineData("a b")]
    public void Invalid_patterns_are_refused_with_a_reason(string pattern)
    {
        Assert.False(SubjectPattern.TryParse(pattern, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
