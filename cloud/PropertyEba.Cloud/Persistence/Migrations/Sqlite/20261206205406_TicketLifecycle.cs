using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PropertyEba.Cloud.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TicketLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AcceptDueUtc",
                table: "Ticket",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "AcceptedUtc",
                table: "Ticket",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CalledBackUtc",
                table: "Ticket",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CancelReason",
                table: "Ticket",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CancelledUtc",
                table: "Ticket",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Cause",
                table: "Ticket",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Description",
                table: "Ticket",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DispatchedUtc",
                table: "Ticket",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "EscalationLevel",
                table: "Ticket",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<double>(
                name: "LabourHours",
                table: "Ticket",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Parts",
                table: "Ticket",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "Remedy",
                table: "Ticket",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Satisfaction",
                table: "Ticket",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ScheduledForUtc",
                table: "Ticket",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "Ticket",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Alarm");

            migrationBuilder.AddColumn<string>(
                name: "UnsatisfiedReason",
                table: "Ticket",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "TicketPhoto",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TicketId = table.Column<long>(type: "INTEGER", nullable: false),
                    TenantId = table.Column<string>(type: "TEXT", nullable: false),
                    StoredName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Length = table.Column<long>(type: "INTEGER", nullable: false),
                    By = table.Column<string>(type: "TEXT", nullable: true),
                    AtUtc = table.Column<long>(type: "INTEGER", nullable: false)
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
