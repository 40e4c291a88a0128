using Platform.SimRunner.Simulation;

namespace Platform.SimRunner.Tests;

public sealed class ScenarioLoaderTests
{
    [Fact]
    public void TheShippedDefaultScenarioLoads()
    {
        var scenario = ScenarioLoader.LoadFile(ScenarioLoader.DefaultPath);
        Assert.Equal("default", scenario.Name);
        Assert.Equal("robot0", scenario.Robots[0].Name);
        Assert.Equal(2, scenario.Obstacles.Count);
    }

    [Theory]
    [InlineData("{", "not valid scenario JSON")]
    [InlineData("""{"name":"x","seed":1,"bounds":{"min_x":0,"min_y":0,"max_x":1,"max_y":1},"obstacles":[],"robots":[]}""", "at least one robot")]
    [InlineData("""{"name":"x","seed":1,"bounds":{"min_x":1,"min_y":0,"max_x":1,"max_y":1},"obstacles":[],"robots":[{"name":"r","x":0,"y":0}]}""", "bounds must have")]
    [InlineData("""{"name":"x","seed":1,"bounds":{"min_x":0,"min_y":0,"max_x":5,"max_y":5},"obstacles":[],"robots":[{"name":"r","x":0,"y":0},{"name":"r","x":1,"y":0}]}""", "used twice")]
    [InlineData("""{"name":"x","seed":1,"bounds":{"min_x":0,"min_y":0,"max_x":5,"max_y":5},"obstacles":[],"robots":[{"name":"a.b","x":0,"y":0}]}""", "is invalid")]
    [InlineData("""{"name":"x","seed":1,"bounds":{"min_x":0,"min_y":0,"max_x":5,"max_y":5},"obstacles":[{"shape":"star","x":1,"y":1}],"robots":[{"name":"r","x":0,"y":0}]}""", "must be a circle")]
    [InlineData("""{"name":"x","seed":1,"bounds":{"min_x":0,"min_y":0,"max_x":5,"max_y":5},"obstacles":[],"robots":[{"name":"r","x":0,"y":0,"radius":-1}]}""", "positive radius")]
    public void BadScenariosFailWithAMessageThatSaysWhatIsWrong(string json, string expected)
    {
        var ex = Assert.Throws<InvalidDataException>(() => ScenarioLoader.Parse(json));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void AMissingFileNamesTheSettingToFix()
    {
        var ex = Assert.Throws<InvalidDataException>(() => ScenarioLoader.LoadFile("/nonexistent/scenario.json"));
        Assert.Contains("ScenarioPath", ex.Message);
    }
}
