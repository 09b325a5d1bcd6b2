using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Archivum.Dicom.Network.Pdus;
using Archivum.Dicom.Network.Tests.UpperLayer;

namespace Archivum.Dicom.Network.Tests.Pdus;

/// <summary>A-ASSOCIATE-RQs written by DCMTK, caught on a raw socket and decoded: what we read must be what the tool says it proposed.</summary>
public sealed partial class DcmtkCaptureTests
{
    private static readonly Dictionary<string, string> TransferSyntaxNames = new(StringComparer.Ordinal)
    {
        ["LittleEndianImplicit"] = "1.2.840.10008.1.2",
        ["LittleEndianExplicit"] = "1.2.840.10008.1.2.1",
        ["BigEndianExplicit"] = "1.2.840.10008.1.2.2",
    };

    [Fact(Timeout = 60_000)]
    public async Task EchoscusRequestDecodesToWhatItPrints()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var run = Dcmtk.RunAsync("echoscu", ["-d", "-ta", "10", "--max-pdu", "32768", "-ppc", "3", "-pts", "3", "-aet", "MY_AE", "-aec", "THEIR AE",
                "127.0.0.1", port.ToString(CultureInfo.InvariantCulture)]);
            AssociateRequestPdu request;
            await using (var peer = RawPeer.Wrap(await listener.AcceptTcpClientAsync()))
            {
                var pdu = await peer.ReadPduAsync();
                Assert.Equal(PduType.AssociateRequest, pdu?.Type);
                request = PduReader.ParseAssociateRequest(new ReadOnlySequence<byte>(pdu!.Value.Body));
                await peer.SendAsync(w => PduWriter.Write(w, new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified)));
            }
            var output = (await run).Output;

            Assert.Equal(Printed(output, "Calling Application Name"), request.CallingAETitle);
            Assert.Equal(Printed(output, "Called Application Name"), request.CalledAETitle);
            Assert.Equal("THEIR AE", request.CalledAETitle);
            Assert.Equal(Printed(output, "Application Context Name"), request.ApplicationContextName);
            Assert.Equal(Printed(output, "Our Implementation Class UID"), request.UserInformation.ImplementationClassUid);
            Assert.Equal(Printed(output, "Our Implementation Version Name"), request.UserInformation.ImplementationVersionName);
            Assert.Equal(uint.Parse(Printed(output, "Our Max PDU Receive Size"), CultureInfo.InvariantCulture), request.UserInformation.MaxPduLength);
            Assert.Equal(1, request.ProtocolVersion);

            // "Context ID: n (Proposed)", its abstract syntax, then "=Name" lines for its transfer syntaxes.
            var contexts = ContextBlock().Matches(output);
            Assert.Equal(3, contexts.Count);
            Assert.Equal(contexts.Count, request.PresentationContexts.Count);
            for (int i = 0; i < contexts.Count; i++)
            {
                var printed = contexts[i];
                var decoded = request.PresentationContexts[i];
                Assert.Equal(byte.Parse(printed.Groups["id"].Value, CultureInfo.InvariantCulture), decoded.Id);
                Assert.Equal("1.2.840.10008.1.1", decoded.AbstractSyntax); // =VerificationSOPClass
                Assert.Equal("VerificationSOPClass", printed.Groups["abstract"].Value);
                var names = printed.Groups["ts"].Captures.Select(c => TransferSyntaxNames[c.Value]).ToArray();
                Assert.Equal(names, decoded.TransferSyntaxes);
            }
        }
        finally
        {
            listener.Stop();
        }
    }

    private static string Printed(string output, string label)
    {
        var match = Regex.Match(output, "^D: " + Regex.Escape(label) + @":\s+(.*?)\s*$", RegexOptions.Multiline);
        Assert.True(match.Success, $"echoscu did not print '{label}'");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"Context ID:\s+(?<id>\d+) \(Proposed\)\s*\nD:\s+Abstract Syntax: =(?<abstract>\w+)\s*\nD:\s+Proposed SCP/SCU Role: Default\s*\nD:\s+Proposed Transfer Syntax\(es\):\s*\n(?:D:\s+=(?<ts>\w+)\s*\n)+")]
    private static partial Regex ContextBlock();
}
