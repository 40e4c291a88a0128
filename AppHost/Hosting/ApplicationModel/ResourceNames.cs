using System.Text.RegularExpressions;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>Resource names are DNS labels (they become host names and Kubernetes object names).</summary>
internal static partial class ResourceNames
{
    public static string Validate(string name)
    {
        if (!Label().IsMatch(name))
            throw new ArgumentException($"Resource name '{name}' is invalid: use lower-case letters, digits and '-', starting with a letter (at most 63 characters).", nameof(name));
        return name;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,62}$")]
    private static partial Regex Label();
}
