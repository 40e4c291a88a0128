using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Platform.Transport.Tests;

/// <summary>A self-signed certificate for localhost and 127.0.0.1, written as the PEM pair Kestrel reads
/// (<c>Kestrel:Certificates:Default:Path</c> and <c>:KeyPath</c>), in a folder deleted on dispose.</summary>
public sealed class TestCertificate : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("platform-tls-").FullName;

    public TestCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // server authentication
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(CertificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
    }

    public string CertificatePath => Path.Combine(_folder, "viewer.crt");
    public string KeyPath => Path.Combine(_folder, "viewer.key");

    /// <summary>The transport's "http" endpoint on https with this certificate, as a remote operator's deployment configures it.</summary>
    public IReadOnlyDictionary<string, string?> KestrelSettings => new Dictionary<string, string?>
    {
        ["Kestrel:Endpoints:http:Url"] = "https://127.0.0.1:0",
        ["Kestrel:Certificates:Default:Path"] = CertificatePath,
        ["Kestrel:Certificates:Default:KeyPath"] = KeyPath,
    };

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
