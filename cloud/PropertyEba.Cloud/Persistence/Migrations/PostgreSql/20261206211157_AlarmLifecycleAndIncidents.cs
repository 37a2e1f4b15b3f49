using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PropertyEba.Cloud.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class AlarmLifecycleAndIncidents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Latched",
                table: "AlarmRule",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "OffDelaySeconds",
                table: "AlarmRule",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "ReAlarmSeconds",
                table: "AlarmRule",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "SuppressedByRuleId",
                table: "AlarmRule",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "State",
                table: "Alarm",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(16)",
                oldMaxLength: 16);

            migrationBuilder.AddColumn<string>(
                name: "AcknowledgeNote",
                table: "Alarm",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "IncidentId",
                table: "Alarm",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<bool>(
                name: "Latched",
                table: "Alarm",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "OutOfService",
                table: "Alarm",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ReAlarmDueUtc",
                table: "Alarm",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResetBy",
                table: "Alarm",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ResetUtc",
                table: "Alarm",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ShelveReason",
                table: "Alarm",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ShelvedBy",
                table: "Alarm",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ShelvedUntilUtc",
                table: "Alarm",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SuppressedBy",
                table: "Alarm",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AlarmComment",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TenantId = table.Column<string>(type: "text", nullable: false),
                    AlarmId = table.Column<long>(type: "bigint", nullable: false),
                    By = table.Column<string>(type: "text", nullable: false),
                    Text = table.Column<string>(type: "text", nullable: false),
                    AtUtc = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlarmComment", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AlarmIncident",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TenantId = table.Column<string>(type: "text", nullable: false),
                    SiteId = table.Column<string>(type: "text", nullable: false),
                    DeviceId = table.Column<string>(type: "text", nullable: false),
                    OpenedUtc = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ClosedUtc = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    TicketId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlarmIncident", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AlarmPendingCondition",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TenantId = table.Column<string>(type: "text", nullable: false),
                    SiteId = table.Column<string>(type: "text", nullable: false),
                    DeviceId = table.Column<string>(type: "text", nullable: false),
                    PointId = table.Column<string>(type: "text", nullable: false),
                    RuleId = table.Column<string>(type: "text", nullable: false),
                    Value = table.Column<double>(type: "double precision", nullable: false),
                    SinceUtcMs = table.Column<long>(type: "bigint", nullable: false),
                    DueUtcMs = table.Column<long>(type: "bigint", nullable: false),
                    DueUtc = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlarmPendingCondition", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DeviceOutOfService",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TenantId = table.Column<string>(type: "text", nullable: false),
                    SiteId = table.Column<string>(type: "text", nullable: false),
                    DeviceId = table.Column<string>(type: "text", nullable: false),
                    By = table.Column<string>(type: "text", nullable: false),
                    Reason = table.Column<string>(type: "text", nullable: true),
                    SinceUtc = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeviceOutOfService", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Alarm_IncidentId",
                table: "Alarm",
                column: "IncidentId");

            migrationBuilder.CreateIndex(
                name: "IX_Alarm_ReAlarmDueUtc",
                table: "Alarm",
                column: "ReAlarmDueUtc");

            migrationBuilder.CreateIndex(
                name: "IX_Alarm_ShelvedUntilUtc",
                table: "Alarm",
                column: "ShelvedUntilUtc");

            migrationBuilder.CreateIndex(
                name: "IX_AlarmComment_TenantId_AlarmId",
                table: "AlarmComment",
                columns: new[] { "TenantId", "AlarmId" });

            migrationBuilder.CreateIndex(
                name: "IX_AlarmIncident_TenantId_SiteId_DeviceId_ClosedUtc",
                table: "AlarmIncident",
                columns: new[] { "TenantId", "SiteId", "DeviceId", "ClosedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_AlarmPendingCondition_TenantId_RuleId_SiteId_DeviceId_Point~",
                table: "AlarmPendingCondition",
                columns: new[] { "TenantId", "RuleId", "SiteId", "DeviceId", "PointId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DeviceOutOfService_TenantId_SiteId_DeviceId",
                table: "DeviceOutOfService",
                columns: new[] { "TenantId", "SiteId", "DeviceId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AlarmComment");

            migrationBuilder.DropTable(
                name: "AlarmIncident");

            migrationBuilder.DropTable(
                name: "AlarmPendingCondition");

            migrationBuilder.DropTable(
                name: "DeviceOutOfService");

            migrationBuilder.DropIndex(
                name: "IX_Alarm_IncidentId",
                table: "Alarm");

            migrationBuilder.DropIndex(
                name: "IX_Alarm_ReAlarmDueUtc",
                table: "Alarm");

            migrationBuilder.DropIndex(
                name: "IX_Alarm_ShelvedUntilUtc",
                table: "Alarm");

            migrationBuilder.DropColumn(
                name: "Latched",
                table: "AlarmRule");

            migrationBuilder.DropColumn(
                name: "OffDelaySeconds",
                table: "AlarmRule");

            migrationBuilder.DropColumn(
                name: "ReAlarmSeconds",
                table: "AlarmRule");

            migrationBuilder.DropColumn(
                name: "SuppressedByRuleId",
                table: "AlarmRule");

            migrationBuilder.DropColumn(
                name: "AcknowledgeNote",
                table: "Alarm");

            migrationBuilder.DropColumn(
                name: "IncidentId",
                table: "Alarm");

            migrationBuilder.DropColumn(
                name: "Latched",
                table: "Alarm");

            migrationBuilder.DropColumn(
                name: "OutOfService",
                table: "Alarm");

            migrationBuilder.DropColumn(
                name: "ReAlarmDueUtc",
                table: "Alarm");

            migrationBuilder.DropColumn(
                name: "ResetBy",
                table: "Alarm");

            migrationBuilder.DropColumn(
                name: "ResetUtc",
                table: "Alarm");

            migrationBuilder.DropColumn(
                name: "ShelveReason",
                table: "Alarm");

            migrationBuilder.DropColumn(
                name: "ShelvedBy",
                table: "Alarm");

            migrationBuilder.DropColumn(
                name: "ShelvedUntilUtc",
                table: "Alarm");

            migrationBuilder.DropColumn(
                name: "SuppressedBy",
                table: "Alarm");

            migrationBuilder.AlterColumn<string>(
                name: "State",
                table: "Alarm",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32);
        }
    }
}
