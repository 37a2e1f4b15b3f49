using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PropertyEba.Cloud.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class TicketLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AcceptDueUtc",
                table: "Ticket",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AcceptedUtc",
                table: "Ticket",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CalledBackUtc",
                table: "Ticket",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CancelReason",
                table: "Ticket",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CancelledUtc",
                table: "Ticket",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Cause",
                table: "Ticket",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Description",
                table: "Ticket",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DispatchedUtc",
                table: "Ticket",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "EscalationLevel",
                table: "Ticket",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<double>(
                name: "LabourHours",
                table: "Ticket",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Parts",
                table: "Ticket",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "Remedy",
                table: "Ticket",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Satisfaction",
                table: "Ticket",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ScheduledForUtc",
                table: "Ticket",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "Ticket",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Alarm");

            migrationBuilder.AddColumn<string>(
                name: "UnsatisfiedReason",
                table: "Ticket",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "TicketPhoto",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TicketId = table.Column<long>(type: "bigint", nullable: false),
                    TenantId = table.Column<string>(type: "text", nullable: false),
                    StoredName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ContentType = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Length = table.Column<long>(type: "bigint", nullable: false),
                    By = table.Column<string>(type: "text", nullable: true),
                    AtUtc = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TicketPhoto", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TicketPhoto_TicketId",
                table: "TicketPhoto",
                column: "TicketId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TicketPhoto");

            migrationBuilder.DropColumn(
                name: "AcceptDueUtc",
                table: "Ticket");

            migrationBuilder.DropColumn(
                name: "AcceptedUtc",
                table: "Ticket");

            migrationBuilder.DropColumn(
                name: "CalledBackUtc",
                table: "Ticket");

            migrationBuilder.DropColumn(
                name: "CancelReason",
                table: "Ticket");

            migrationBuilder.DropColumn(
                name: "CancelledUtc",
                table: "Ticket");

            migrationBuilder.DropColumn(
                name: "Cause",
                table: "Ticket");

            migrationBuilder.DropColumn(
                name: "Description",
                table: "Ticket");

            migrationBuilder.DropColumn(
                name: "DispatchedUtc",
                table: "Ticket");

            migrationBuilder.DropColumn(
                name: "EscalationLevel",
                table: "Ticket");

            migrationBuilder.DropColumn(
                name: "LabourHours",
                table: "Ticket");

            migrationBuilder.DropColumn(
                name: "Parts",
                table: "Ticket");

            migrationBuilder.DropColumn(
                name: "Remedy",
                table: "Ticket");

            migrationBuilder.DropColumn(
                name: "Satisfaction",
                table: "Ticket");

            migrationBuilder.DropColumn(
                name: "ScheduledForUtc",
                table: "Ticket");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "Ticket");

            migrationBuilder.DropColumn(
                name: "UnsatisfiedReason",
                table: "Ticket");
        }
    }
}
