using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Platform.SimRunner.Hosting;
using Platform.SimRunner.Rendering;
using Platform.SimRunner.Video;

namespace Platform.SimRunner.Tests.Video;

public sealed class VideoOptionsTests
{
    [Fact]
    public void TheDefaultsAre720pAt30FpsOnStreamMain()
    {
        var options = new VideoOptions();
        Assert.Empty(options.Validate());
        Assert.Equal((true, "main", 1280, 720, 30), (options.Enabled, options.Stream, options.Width, options.Height, options.Fps));
        Assert.Empty(new VideoOptions { Width = 1920, Height = 1080, Fps = 60 }.Validate());
        Assert.Empty(new VideoOptions { Width = 320, Height = 180 }.Validate());
    }

    [Theory]
    [InlineData(1281, 720, 30, "main", "Width")]
    [InlineData(3840, 720, 30, "main", "Width")]
    [InlineData(1280, 721, 30, "main", "Height")]
    [InlineData(1280, 720, 120, "main", "Fps")]
    [InlineData(1280, 720, 0, "main", "Fps")]
    [InlineData(1280, 720, 30, "a.b", "Stream")]
    public void BadSettingsAreRejectedNamingTheKey(int width, int height, int fps, string stream, string key)
    {
        var errors = new VideoOptions { Width = width, Height = height, Fps = fps, Stream = stream }.Validate().ToList();
        Assert.Single(errors);
        Assert.Contains($"SimRunner:Video:{key}", errors[0]);
    }

    [Fact]
    public void BoundOptionsAreValidatedWhenResolved()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SimRunner:Video:Width"] = "4096",
            ["SimRunner:Video:Fps"] = "240",
        }).Build();
        var services = new ServiceCollection();
        services.AddFrameStreaming(config.GetSection(VideoOptions.SectionName));
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<VideoOptions>>().Value);
        Assert.Contains(error.Failures, f => f.Contains("Width 4096", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Fps 240", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void AddSimRunnerStreamsVideoUnlessDisabled(string? enabled, bool expected)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        if (enabled is not null) builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["SimRunner:Video:Enabled"] = enabled });
        builder.AddSimRunner();
        Assert.Equal(expected, builder.Services.Any(d => d.ServiceType == typeof(FrameStreamer)));
        Assert.Equal(expected, builder.Services.Any(d => d.ServiceType == typeof(SceneSnapshotSource)));
    }
}
