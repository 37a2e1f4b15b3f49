using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PropertyEba.Cloud.Persistence.Migrations.Sqlite
{
    /// <summary>
    /// Alarm messages and ticket titles become a message id with parameters (JSON, see LocalizedTextConverter)
    /// instead of a stored "中文 / English" string. Every row stored before is such a string: it becomes id
    /// <c>legacy.text</c> with the old string as its <c>text</c>, so it still shows as it did. Those columns keep
    /// their names and type. Down turns the texts back
    /// into strings, the way they were built before.
    /// </summary>
    public partial class LocalizedMessages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""UPDATE "Alarm" SET "Message" = json_object('id', 'legacy.text', 'args', json_object('text', "Message"));""");
            migrationBuilder.Sql("""UPDATE "Ticket" SET "Title" = json_object('id', 'legacy.text', 'args', json_object('text', "Title"));""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            const string Rule = """COALESCE(json_extract({0}, '$.args."rule@zh"') || ' / ', '') || json_extract({0}, '$.args.rule')""";
            var alarm = string.Format(System.Globalization.CultureInfo.InvariantCulture, Rule, "\"Message\"");
            var ticket = string.Format(System.Globalization.CultureInfo.InvariantCulture, Rule, "\"Title\"");
            migrationBuilder.Sql($"""UPDATE "Alarm" SET "Message" = COALESCE(json_extract("Message", '$.args.text'), {alarm}, json_extract("Message", '$.id')) WHERE json_valid("Message");""");
            migrationBuilder.Sql($"""UPDATE "Ticket" SET "Title" = COALESCE(json_extract("Title", '$.args.text'), {ticket} || ' — ' || json_extract("Title", '$.args.device'), json_extract("Title", '$.id')) WHERE json_valid("Title");""");
        }
    }
}
