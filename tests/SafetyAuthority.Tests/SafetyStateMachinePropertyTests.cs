using Platform.Contracts.Subjects;
using Platform.SafetyAuthority.State;
using Platform.TestSupport;

namespace Platform.SafetyAuthority.Tests;

/// <summary>
/// Random input sequences (hand-rolled generator, fixed seeds) checked against the invariants of section 8 and
/// against a small reference model that tracks gates and the latch independently of the implementation.
/// </summary>
public sealed class SafetyStateMachinePropertyTests
{
    private static readonly string[] Sources = ["sim", "transport", "recorder"];
    private static readonly SafetyEventKind[] Kinds = Enum.GetValues<SafetyEventKind>();
    private static readonly SafetyMode[] Modes = Enum.GetValues<SafetyMode>();

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 200; seed++) data.Add(seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void NeverArmedWhileAGateIsActiveOrAnEstopIsLatched(int seed)
    {
        var random = new Random(seed);
        var time = new ManualTime(DateTimeOffset.UnixEpoch);
        var sm = new SafetyStateMachine(time);
        var modelGates = new Dictionary<string, SafetyMode>();
        var modelLatched = false;
        var lastId = sm.StateId;
        var lastSnapshot = sm.Snapshot();
        var lastGates = new Dictionary<string, SafetyMode>(sm.Gates);

        for (var step = 0; step < 400; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(random.Next(0, 300)));
            var roll = random.Next(100);
            if (roll < 70)
            {
                var source = Sources[random.Next(Sources.Length)];
                var kind = Kinds[random.Next(Kinds.Length)];
                // Bias toward lifting gates so that ARMED is actually reached in many sequences.
                var mode = random.Next(3) == 0 ? Modes[random.Next(Modes.Length)] : SafetyMode.Armed;
                sm.Apply(source, new SafetyEventMessage(kind, mode, random.Next(5000), 0));
                if (mode == SafetyMode.Estop) modelLatched = true;
                if (kind != SafetyEventKind.Operator)
                {
                    if (mode == SafetyMode.Armed) modelGates.Remove($"{source}.{kind.ToWire()}");
                    else modelGates[$"{source}.{kind.ToWire()}"] = mode;
                }
            }
            else if (roll < 78)
            {
                sm.Estop("random");
                modelLatched = true;
            }
            else
            {
                var result = sm.ClearEstop("random");
                var expected = !modelLatched ? ClearOutcome.NotLatched : modelGates.Count > 0 ? ClearOutcome.Refused : ClearOutcome.Cleared;
                Assert.Equal(expected, result.Outcome);
                if (expected == ClearOutcome.Cleared) modelLatched = false;
            }

            var s = sm.Snapshot();
            if (modelLatched || modelGates.Count > 0) Assert.NotEqual(SafetyMode.Armed, s.Mode);
            if (modelLatched) Assert.Equal(SafetyMode.Estop, s.Mode);
            if (!modelLatched && modelGates.Count == 0) Assert.Equal(SafetyMode.Armed, s.Mode);
            if (!modelLatched && modelGates.Count > 0) Assert.Equal(modelGates.Values.Max(), s.Mode);
            Assert.Equal(modelLatched, sm.Latched);
            Assert.Equal(modelGates.OrderBy(g => g.Key, StringComparer.Ordinal), sm.Gates.OrderBy(g => g.Key, StringComparer.Ordinal));
            Assert.Equal(modelGates.Count, s.Sources.Count(x => x.Active));

            // state_id never goes back, and any visible change comes with a new one.
            Assert.True(s.StateId >= lastId);
            var changed = s.Mode != lastSnapshot.Mode || s.Reason != lastSnapshot.Reason || !sm.Gates.OrderBy(g => g.Key).SequenceEqual(lastGates.OrderBy(g => g.Key));
            if (changed) Assert.True(s.StateId > lastId, $"state changed at step {step} without a new state_id");
            else Assert.Equal(lastId, s.StateId);
            lastId = s.StateId;
            lastSnapshot = s;
            lastGates = new Dictionary<string, SafetyMode>(sm.Gates);
        }
    }

    [Fact]
    public void TheGeneratorReachesEveryModeAndRefusals()
    {
        // Guards the property above against a generator that never exercises the interesting paths.
        var seen = new HashSet<SafetyMode>();
        var refused = 0;
        var cleared = 0;
        for (var seed = 1; seed <= 20; seed++)
        {
            var random = new Random(seed);
            var sm = new SafetyStateMachine();
            for (var step = 0; step < 400; step++)
            {
                var roll = random.Next(100);
                if (roll < 70)
                {
                    var mode = random.Next(3) == 0 ? Modes[random.Next(Modes.Length)] : SafetyMode.Armed;
                    sm.Apply(Sources[random.Next(Sources.Length)], new SafetyEventMessage(Kinds[random.Next(Kinds.Length)], mode, 0, 0));
                }
                else if (roll < 78) sm.Estop("random");
                else
                {
                    var outcome = sm.ClearEstop("random").Outcome;
                    refused += outcome == ClearOutcome.Refused ? 1 : 0;
                    cleared += outcome == ClearOutcome.Cleared ? 1 : 0;
                }
                seen.Add(sm.Mode);
            }
        }
        Assert.Equal(3, seen.Count);
        Assert.True(refused > 10 && cleared > 10, $"refused {refused}, cleared {cleared}");
    }
}
