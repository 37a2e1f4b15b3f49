#!/usr/bin/env bash
# Adds a schema migration named $1 for BOTH providers (docs/adr/0007-schema-migrations.md): SQLite's in
# Migrations/Sqlite and PostgreSQL's in Migrations/PostgreSql, from the same model, so neither falls behind
# (DatabaseMigrationTests fails when one has). Non-interactive; run it from anywhere:
#   cloud/PropertyEba.Cloud/Persistence/add-migration.sh AddPumpCurves
# To regenerate a migration, remove it for both (dotnet ef migrations remove, or delete its files and restore the
# snapshots from git) and add it again.
set -euo pipefail

if [[ $# -ne 1 || ! "$1" =~ ^[A-Z][A-Za-z0-9]*$ ]]; then
  echo "usage: $0 <MigrationName>   (PascalCase letters and digits, e.g. AddPumpCurves)" >&2
  exit 2
fi
name="$1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"

dotnet tool restore >/dev/null
dotnet build PropertyEba.sln -c Release -nologo -clp:ErrorsOnly

# The namespace follows the folder (PropertyEba.Cloud.Persistence.Migrations.<folder>); passing --namespace too
# would make EF put a new snapshot in a folder named after the namespace.
for pair in "SqliteEbaDbContext:Sqlite" "PostgreSqlEbaDbContext:PostgreSql"; do
  context="${pair%%:*}"
  folder="${pair##*:}"
  echo "== $context -> Persistence/Migrations/$folder/*_$name.cs"
  dotnet ef migrations add "$name" \
    --project cloud/PropertyEba.Cloud \
    --context "$context" \
    --output-dir "Persistence/Migrations/$folder" \
    --configuration Release --no-build
done

# Kept as generated: .editorconfig marks Persistence/Migrations/** as generated code, which dotnet format leaves alone.
echo "Review both Up/Down methods; then build and run DatabaseMigrationTests (both providers)."
