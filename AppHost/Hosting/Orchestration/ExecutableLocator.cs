namespace Aspire.Hosting.Orchestration;

/// <summary>Finds programs such as nats-server on the search path, with the fix in the message when one is missing.</summary>
internal static class ExecutableLocator
{
    public static string Find(string command, string searchPath)
    {
        if (Path.IsPathRooted(command))
            return File.Exists(command) ? command : throw Missing(command, searchPath);
        foreach (var dir in searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, command);
            if (File.Exists(candidate)) return candidate;
        }
        throw Missing(command, searchPath);
    }

    private static DistributedApplicationException Missing(string command, string searchPath) => command switch
    {
        "nats-server" => new DistributedApplicationException(
            "nats-server is not installed (not found in " + searchPath + "). Install it with `sudo apt-get install nats-server` or `bash eng/install-deps.sh`, then run the AppHost again."),
        _ => new DistributedApplicationException($"{command} was not found in {searchPath}: install it, then run the AppHost again."),
    };
}
