using Microsoft.Extensions.Options;

namespace Platform.SimRunner.Video;

/// <summary>Fails start-up with every problem in <c>SimRunner:Video</c> at once.</summary>
internal sealed class VideoOptionsValidator : IValidateOptions<VideoOptions>
{
    public ValidateOptionsResult Validate(string? name, VideoOptions options)
    {
        var errors = options.Validate().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
