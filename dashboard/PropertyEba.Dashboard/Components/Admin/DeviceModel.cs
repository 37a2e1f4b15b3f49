using PropertyEba.Contracts.Api;

namespace PropertyEba.Dashboard.Components.Admin;

/// <summary>A device form's values: identity, profile version, connection, place, system and ledger (台账).</summary>
public sealed class DeviceModel
{
    public string DeviceId { get; set; } = "";

    public string Name { get; set; } = "";

    public string NameZh { get; set; } = "";

    public string ProfileId { get; set; } = "";

    public int? ProfileVersion { get; set; }

    public string ConnectionKind { get; set; } = "tcp";

    public string Host { get; set; } = "";

    public int? Port { get; set; } = 502;

    public string SerialPort { get; set; } = "";

    public int? UnitId { get; set; } = 1;

    public string LocationId { get; set; } = "";

    public string SystemId { get; set; } = "";

    public string AssetNumber { get; set; } = "";

    public string Manufacturer { get; set; } = "";

    public string ModelNumber { get; set; } = "";

    public string SerialNumber { get; set; } = "";

    public DateOnly? InstalledOn { get; set; }

    public DateOnly? CertificateExpiresOn { get; set; }

    public static DeviceModel From(DeviceDetailDto d) => new()
    {
        DeviceId = d.DeviceId,
        Name = d.Name,
        NameZh = d.NameZh ?? "",
        ProfileId = d.ProfileId,
        ProfileVersion = d.ProfileVersion,
        ConnectionKind = d.Connection.Kind ?? "tcp",
        Host = d.Connection.Host ?? "",
        Port = d.Connection.Port,
        SerialPort = d.Connection.SerialPort ?? "",
        UnitId = d.Connection.UnitId,
        LocationId = d.LocationId ?? "",
        SystemId = d.SystemId,
        AssetNumber = d.Ledger.AssetNumber ?? "",
        Manufacturer = d.Ledger.Manufacturer ?? "",
        ModelNumber = d.Ledger.ModelNumber ?? "",
        SerialNumber = d.Ledger.SerialNumber ?? "",
        InstalledOn = d.Ledger.InstalledOn,
        CertificateExpiresOn = d.Ledger.CertificateExpiresOn,
    };

    public DeviceRequest ToRequest()
    {
        var connection = ConnectionKind == "serial"
            ? new DeviceConnectionDto("serial", SerialPort: SiteModel.Text(SerialPort), UnitId: UnitId)
            : new DeviceConnectionDto(ConnectionKind, SiteModel.Text(Host), Port, UnitId: UnitId);
        var ledger = new DeviceLedgerDto(
            SiteModel.Text(AssetNumber), SiteModel.Text(Manufacturer), SiteModel.Text(ModelNumber), SiteModel.Text(SerialNumber), InstalledOn, CertificateExpiresOn);
        return new DeviceRequest(
            SiteModel.Text(DeviceId), SiteModel.Text(Name), SiteModel.Text(ProfileId), ProfileVersion, connection,
            SiteModel.Text(NameZh), SiteModel.Text(LocationId), SiteModel.Text(SystemId), ledger);
    }
}
