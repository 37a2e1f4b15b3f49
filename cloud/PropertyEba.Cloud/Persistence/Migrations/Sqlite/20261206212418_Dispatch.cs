using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PropertyEba.Cloud.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Dispatch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AcceptBreached",
                table: "Ticket",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "LastNotifiedUtc",
                table: "Ticket",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "OnSiteBreached",
                table: "Ticket",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Skill",
                table: "Ticket",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TeamId",
                table: "Ticket",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "RotaOverride",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<string>(type: "TEXT", nullable: false),
                    TeamId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FromUtc = table.Column<long>(type: "INTEGER", nullable: false),
                    ToUtc = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RotaOverride", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RotaShift",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<string>(type: "TEXT", nullable: false),
                    TeamId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Days = table.Column<int>(type: "INTEGER", nullable: false),
                    Start = table.Column<TimeOnly>(type: "TEXT", nullable: false),
                    Duration = table.Column<TimeSpan>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RotaShift", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Team",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<string>(type: "TEXT", nullable: false),
                    TeamId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    SiteIds = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Skills = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Severities = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Mobile = table.Column<bool>(type: "INTEGER", nullable: false),
                    Supervisor = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Manager = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Team", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TenantTimeStandard",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<string>(type: "TEXT", nullable: false),
                    Priority = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Accept = table.Column<TimeSpan>(type: "TEXT", nullable: false),
                    OnSite = table.Column<TimeSpan>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TenantTimeStandard", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RotaOverride_TenantId_TeamId",
                table: "RotaOverride",
                columns: new[] { "TenantId", "TeamId" });

            migrationBuilder.CreateIndex(
                name: "IX_RotaShift_TenantId_TeamId",
                table: "RotaShift",
                columns: new[] { "TenantId", "TeamId" });

            migrationBuilder.CreateIndex(
                name: "IX_Team_TenantId_TeamId",
                table: "Team",
                columns: new[] { "TenantId", "TeamId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TenantTimeStandard_TenantId_Priority",
                table: "TenantTimeStandard",
                columns: new[] { "TenantId", "Priority" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RotaOverride");

            migrationBuilder.DropTable(
                name: "RotaShift");

            migrationBuilder.DropTable(
                name: "Team");

            migrationBuilder.DropTable(
                name: "TenantTimeStandard");

            migrationBuilder.DropColumn(
                name: "AcceptBreached",
                table: "Ticket");

            migrationBuilder.DropColumn(
                name: "LastNotifiedUtc",
                table: "Ticket");

            migrationBuilder.DropColumn(
                name: "OnSiteBreached",
                table: "Ticket");

            migrationBuilder.DropColumn(
                name: "Skill",
                table: "Ticket");

            migrationBuilder.DropColumn(
                name: "TeamId",
                table: "Ticket");
        }
    }
}
