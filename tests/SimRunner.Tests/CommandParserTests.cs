using System.Text;
using System.Text.Json;
using Platform.Contracts.Subjects;
using Platform.SimRunner.Commands;

namespace Platform.SimRunner.Tests;

public sealed class CommandParserTests
{
    private readonly CommandParser _parser = new(maxPayloadBytes: 4096, maxStepCount: 1000);

    private CommandParseResult Parse(string? subjectAction, string json) => _parser.Parse(subjectAction, Encoding.UTF8.GetBytes(json));

    [Fact]
    public void ParsesSetCmdVelWithItsEnvelope()
    {
        var r = Parse("set_cmd_vel", """{"action":"set_cmd_vel","cmd_seq":7,"data":{"linear_x":0.5,"linear_y":-0.25,"angular_z":1},"ttl_ms":150,"source":"ws-3","issued_at":1763776000000}""");
        var c = Assert.IsType<SetCmdVelCommand>(r.Command);
        Assert.Equal((7L, "ws-3", 150, 0.5, -0.25, 1.0, (string?)null), (c.CmdSeq, c.Source, c.TtlMs, c.LinearX, c.LinearY, c.AngularZ, c.Robot));
    }

    [Theory]
    [InlineData("pause", typeof(PauseCommand))]
    [InlineData("resume", typeof(ResumeCommand))]
    [InlineData("reset", typeof(ResetCommand))]
    [InlineData("step", typeof(StepCommand))]
    [InlineData("estop", typeof(EstopCommand))]
    [InlineData("estop_clear", typeof(EstopClearCommand))]
    public void ParsesEveryActionWithoutData(string action, Type expected)
    {
        var r = Parse(action, $$"""{"action":"{{action}}","cmd_seq":1,"source":"op"}""");
        Assert.IsType(expected, r.Command);
        Assert.Null(r.Answer);
    }

    [Fact]
    public void ParsesActionData()
    {
        Assert.Equal(25, Assert.IsType<StepCommand>(Parse("step", """{"action":"step","cmd_seq":1,"data":{"count":25}}""").Command).Count);
        var set = Assert.IsType<SetSignalCommand>(Parse("set", """{"action":"set","cmd_seq":1,"data":{"signal":"robot0.x","value":-1.5}}""").Command);
        Assert.Equal(("robot0.x", -1.5), (set.Signal, set.Value));
        Assert.Equal(5, Assert.IsType<ResetCommand>(Parse("reset", """{"action":"reset","cmd_seq":1,"data":{"seed":5}}""").Command).Seed);
        Assert.Equal("video", Assert.IsType<EstopCommand>(Parse("estop", """{"action":"estop","cmd_seq":1,"data":{"reason":"video"}}""").Command).Reason);
        Assert.Equal("alice", Assert.IsType<EstopClearCommand>(Parse("estop_clear", """{"action":"estop_clear","cmd_seq":1,"data":{"operator":"alice"}}""").Command).Operator);
        Assert.Equal(CommandParser.UnknownSource, Parse("pause", """{"action":"pause","cmd_seq":1}""").Command!.Source);
    }

    [Fact]
    public void TheActionMayComeFromTheSubjectAlone()
        => Assert.IsType<PauseCommand>(Parse("pause", """{"cmd_seq":3}""").Command);

    [Theory]
    [InlineData("pause", "{", "malformed JSON")]
    [InlineData("pause", "", "malformed JSON")]
    [InlineData("pause", "null", "malformed JSON")]
    [InlineData("pause", "[1,2]", "malformed JSON")]
    [InlineData("fly", """{"action":"fly","cmd_seq":1}""", "unknown action 'fly'")]
    [InlineData("pause", """{"action":"resume","cmd_seq":1}""", "does not match")]
    [InlineData(null, """{"cmd_seq":1}""", "missing 'action'")]
    [InlineData("pause", """{"action":"pause","cmd_seq":-1}""", "must not be negative")]
    [InlineData("pause", """{"action":"pause","cmd_seq":"one"}""", "malformed JSON")]
    [InlineData("set_cmd_vel", """{"action":"set_cmd_vel","cmd_seq":1,"ttl_ms":0,"data":{}}""", "ttl_ms must be positive")]
    [InlineData("set_cmd_vel", """{"action":"set_cmd_vel","cmd_seq":1}""", "needs data")]
    [InlineData("set_cmd_vel", """{"action":"set_cmd_vel","cmd_seq":1,"data":[1,2,3]}""", "needs data")]
    [InlineData("set_cmd_vel", """{"action":"set_cmd_vel","cmd_seq":1,"data":{"linear_x":"fast"}}""", "invalid data")]
    [InlineData("set_cmd_vel", """{"action":"set_cmd_vel","cmd_seq":1,"data":{"linear_x":1e999}}""", "set_cmd_vel")]
    [InlineData("step", """{"action":"step","cmd_seq":1,"data":{"count":0}}""", "between 1 and 1000")]
    [InlineData("step", """{"action":"step","cmd_seq":1,"data":{"count":1001}}""", "between 1 and 1000")]
    [InlineData("set", """{"action":"set","cmd_seq":1,"data":{"value":1}}""", "needs data.signal")]
    [InlineData("set", """{"action":"set","cmd_seq":1,"data":{"signal":"robot0.x"}}""", "finite data.value")]
    [InlineData("reset", """{"action":"reset","cmd_seq":1,"data":{"seed":1.5}}""", "32-bit integer")]
    public void BadPayloadsAreRejectedWithAReason(string? subject, string json, string reason)
    {
        var r = Parse(subject, json);
        Assert.Null(r.Command);
        var ack = Assert.IsType<CommandAck>(r.Answer);
        Assert.Equal(AckStatus.Rejected, ack.Status);
        Assert.Contains(reason, ack.Reason);
    }

    [Fact]
    public void OversizedPayloadsAreRejectedBeforeParsing()
    {
        var big = "{\"action\":\"pause\",\"cmd_seq\":1,\"pad\":\"" + new string('x', 5000) + "\"}";
        var ack = Parse("pause", big).Answer!;
        Assert.Equal(AckStatus.Rejected, ack.Status);
        Assert.Contains("exceeds the 4096-byte limit", ack.Reason);
    }

    [Fact]
    public void SubscribeIsIgnoredWithAPointerToTheTransport()
    {
        var ack = Parse("subscribe", """{"action":"subscribe","cmd_seq":4,"data":{"signals":["*"]}}""").Answer!;
        Assert.Equal((AckStatus.Ignored, 4L), (ack.Status, ack.CmdSeq));
        Assert.Contains("/ws/signals", ack.Reason);
    }

    [Fact]
    public void AcksSerializeInSnakeCaseWithLowercaseStatus()
    {
        var json = JsonSerializer.Serialize(new CommandAck("set_cmd_vel", 9, AckStatus.Ignored, "old"), SubjectsJsonContext.Default.CommandAck);
        Assert.Equal("""{"action":"set_cmd_vel","cmd_seq":9,"status":"ignored","reason":"old"}""", json);
        var ok = JsonSerializer.Serialize(new CommandAck("pause", 1, AckStatus.Ok), SubjectsJsonContext.Default.CommandAck);
        Assert.Equal("""{"action":"pause","cmd_seq":1,"status":"ok"}""", ok);
    }
}
