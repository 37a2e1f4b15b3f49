using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PropertyEba.Cloud.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AssetAdministration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Address",
                table: "Site",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CreatedUtc",
                table: "Site",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<double>(
                name: "GeofenceRadiusM",
                table: "Site",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Latitude",
                table: "Site",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Longitude",
                table: "Site",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NameZh",
                table: "Site",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Deadband",
                table: "Point",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "DeadbandOverride",
                table: "Point",
                type: "REAL",
                nullable: true);

            // Hand-set: points of existing devices stay enabled.
            migrationBuilder.AddColumn<bool>(
                name: "Enabled",
                table: "Point",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<bool>(
                name: "EnabledOverride",
                table: "Point",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NameOverride",
                table: "Point",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NameZhOverride",
                table: "Point",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UnitOverride",
                table: "Point",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AssetNumber",
                table: "Device",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "CertificateExpiresOn",
                table: "Device",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConnectionKind",
                table: "Device",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Host",
                table: "Device",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "InstalledOn",
                table: "Device",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Manufacturer",
                table: "Device",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ModelNumber",
                table: "Device",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Port",
                table: "Device",
                type: "INTEGER",
                nullable: true);

            // Hand-set: existing devices are on version 1 of their (built-in) profile.
            migrationBuilder.AddColumn<int>(
                name: "ProfileVersion",
                table: "Device",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "SerialNumber",
                table: "Device",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SerialPort",
                table: "Device",
                type: "TEXT",
                nullable: true);

            // Hand-set: the unit the demo's devices answer on.
            migrationBuilder.AddColumn<int>(
                name: "UnitId",
                table: "Device",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.CreateTable(
                name: "AssetSystem",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SystemId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    NameZh = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssetSystem", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Building",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SiteId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BuildingId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    NameZh = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Building", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DeviceProfileVersion",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ProfileId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    UploadedUtc = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeviceProfileVersion", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Location",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SiteId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    LocationId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BuildingId = table.Column<string>(type: "TEXT", nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    NameZh = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Location", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Tenant",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    NameZh = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedUtc = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Tenant", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AssetSystem_TenantId_SystemId",
                table: "AssetSystem",
                columns: new[] { "TenantId", "SystemId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Building_TenantId_SiteId_BuildingId",
                table: "Building",
                columns: new[] { "TenantId", "SiteId", "BuildingId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DeviceProfileVersion_TenantId_ProfileId_Version",
                table: "DeviceProfileVersion",
                columns: new[] { "TenantId", "ProfileId", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Location_TenantId_SiteId_LocationId",
                table: "Location",
                columns: new[] { "TenantId", "SiteId", "LocationId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Tenant_TenantId",
                table: "Tenant",
                column: "TenantId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AssetSystem");

            migrationBuilder.DropTable(
                name: "Building");

            migrationBuilder.DropTable(
                name: "DeviceProfileVersion");

            migrationBuilder.DropTable(
                name: "Location");

            migrationBuilder.DropTable(
                name: "Tenant");

            migrationBuilder.DropColumn(
                name: "Address",
                table: "Site");

            migrationBuilder.DropColumn(
                name: "CreatedUtc",
                table: "Site");

            migrationBuilder.DropColumn(
                name: "GeofenceRadiusM",
                table: "Site");

            migrationBuilder.DropColumn(
                name: "Latitude",
                table: "Site");

            migrationBuilder.DropColumn(
                name: "Longitude",
                table: "Site");

            migrationBuilder.DropColumn(
                name: "NameZh",
                table: "Site");

            migrationBuilder.DropColumn(
                name: "Deadband",
                table: "Point");

            migrationBuilder.DropColumn(
                name: "DeadbandOverride",
                table: "Point");

            migrationBuilder.DropColumn(
                name: "Enabled",
                table: "Point");

            migrationBuilder.DropColumn(
                name: "EnabledOverride",
                table: "Point");

            migrationBuilder.DropColumn(
                name: "NameOverride",
                table: "Point");

            migrationBuilder.DropColumn(
                name: "NameZhOverride",
                table: "Point");

            migrationBuilder.DropColumn(
                name: "UnitOverride",
                table: "Point");

            migrationBuilder.DropColumn(
                name: "AssetNumber",
                table: "Device");

            migrationBuilder.DropColumn(
                name: "CertificateExpiresOn",
                table: "Device");

            migrationBuilder.DropColumn(
                name: "ConnectionKind",
                table: "Device");

            migrationBuilder.DropColumn(
                name: "Host",
                table: "Device");

            migrationBuilder.DropColumn(
                name: "InstalledOn",
                table: "Device");

            migrationBuilder.DropColumn(
                name: "Manufacturer",
                table: "Device");

            migrationBuilder.DropColumn(
                name: "ModelNumber",
                table: "Device");

            migrationBuilder.DropColumn(
                name: "Port",
                table: "Device");

            migrationBuilder.DropColumn(
                name: "ProfileVersion",
                table: "Device");

            migrationBuilder.DropColumn(
                name: "SerialNumber",
                table: "Device");

            migrationBuilder.DropColumn(
                name: "SerialPort",
                table: "Device");

            migrationBuilder.DropColumn(
                name: "UnitId",
                table: "Device");
        }
    }
}
