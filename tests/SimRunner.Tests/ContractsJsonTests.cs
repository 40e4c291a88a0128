using System.Text.Json;
using Platform.Contracts.Subjects;

namespace Platform.SimRunner.Tests;

public sealed class ContractsJsonTests
{
    [Fact]
    public void SafetyStateAndEventUseTheDocumentedWireNames()
    {
        var state = new SafetyStateMessage(12, SafetyMode.Hold, "sim.cmd_ttl: HOLD", 250, [new SafetySourceStatus("sim", SafetyEventKind.CmdTtl, SafetyMode.Hold, 210, 249, true)]);
        Assert.Equal(
            """{"state_id":12,"mode":"HOLD","reason":"sim.cmd_ttl: HOLD","since_ms":250,"sources":[{"source":"sim","kind":"cmd_ttl","mode":"HOLD","stale_ms":210,"at_ms":249,"active":true}]}""",
            JsonSerializer.Serialize(state, SubjectsJsonContext.Default.SafetyStateMessage));

        var e = JsonSerializer.Deserialize("""{"kind":"authority_lost","mode":"ESTOP","stale_ms":1500,"at":1}""", SubjectsJsonContext.Default.SafetyEventMessage)!;
        Assert.Equal((SafetyEventKind.AuthorityLost, SafetyMode.Estop, 1500L), (e.Kind, e.Mode, e.StaleMs));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"kind":"x","mode":"ARMED","stale_ms":0,"at":1}""", SubjectsJsonContext.Default.SafetyEventMessage));
        // Another message's JSON is not an event with default fields (kind video_gate, mode ARMED, at 0).
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"action":42,"cmd_seq":"x","data":[1,2]}""", SubjectsJsonContext.Default.SafetyEventMessage));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"kind":"cmd_ttl","mode":"HOLD","stale_ms":5}""", SubjectsJsonContext.Default.SafetyEventMessage));
    }

    [Fact]
    public void SubjectHelpersBuildAndSplitSubjects()
    {
        Assert.Equal("command.sim.estop", SubjectNames.Command(CommandActions.Estop));
        Assert.Equal("estop_clear", SubjectNames.ActionOf("command.sim.estop_clear"));
        Assert.Null(SubjectNames.ActionOf("command.sim."));
        Assert.Null(SubjectNames.ActionOf("telemetry.sim.state"));
        Assert.Equal("transport", SubjectNames.SourceOf(SubjectNames.SafetyEvent("transport")));
    }
}
