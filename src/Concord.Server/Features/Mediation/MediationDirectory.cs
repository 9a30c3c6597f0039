using Concord.Domain.Matters;
using Concord.Domain.Mediation;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Territories;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Mediation;

/// <summary>
/// The directory import: one file (CSV, or the same columns in the first sheet of an XLSX) of
/// organizations, mediators and referral providers. Lists inside a cell (specialties, languages) are
/// separated by <c>;</c>. The whole file is checked before anything is written, each fault naming its
/// line; then every record replaces the one with its code, in one transaction.
/// </summary>
public static class MediationDirectory
{
    public const string Header = "type,code,name,kind,territory,organization,specialties,languages,capacity,user";

    private static readonly string[] Columns = Header.Split(',');

    public static (List<DirectoryRecord> Records, List<FieldError> Errors) ReadCsv(TextReader text)
    {
        var rows = new List<(string Where, string[] Cells)>();
        var errors = new List<FieldError>();
        var line = 0;
        while (text.ReadLine() is { } raw)
        {
            line++;
            var cells = DivisionCsvReader.SplitRecord(raw);
            if (line == 1)
            {
                if (!string.Equals(string.Join(',', cells).Trim().TrimStart('\uFEFF'), Header, StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add(new($"line {line}", "import.bad_header", Header));
                    return ([], errors);
                }

                continue;
            }

            if (cells.Length == 1 && string.IsNullOrWhiteSpace(cells[0]))
            {
                continue;
            }

            rows.Add(($"line {line}", cells));
        }

        return ToRecords(rows, errors);
    }

    public static (List<DirectoryRecord> Records, List<FieldError> Errors) ReadXlsx(Stream stream)
    {
        var errors = new List<FieldError>();
        var rows = new List<(string Where, string[] Cells)>();
        List<IDictionary<string, object?>> sheet;
        try
        {
            sheet = MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: false).Cast<IDictionary<string, object?>>().ToList();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or System.Xml.XmlException or InvalidOperationException or NotSupportedException)
        {
            return ([], [new FieldError("file", "mediation.import.bad_xlsx")]);
        }

        for (var i = 0; i < sheet.Count; i++)
        {
            var cells = sheet[i].Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToArray();
            if (i == 0)
            {
                if (!string.Equals(string.Join(',', cells.Take(Columns.Length)).Trim(), Header, StringComparison.OrdinalIgnoreCase))
                {
                    return ([], [new FieldError("row 1", "import.bad_header", Header)]);
                }

                continue;
            }

            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            rows.Add(($"row {i + 1}", cells.Take(Columns.Length).ToArray()));
        }

        return ToRecords(rows, errors);
    }

    private static (List<DirectoryRecord>, List<FieldError>) ToRecords(List<(string Where, string[] Cells)> rows, List<FieldError> errors)
    {
        var records = new List<DirectoryRecord>();
        foreach (var (where, cells) in rows)
        {
            if (cells.Length != Columns.Length)
            {
                errors.Add(new(where, "import.bad_columns", Columns.Length, cells.Length));
                continue;
            }

            string? Cell(int i) => string.IsNullOrWhiteSpace(cells[i]) ? null : cells[i].Trim();
            IReadOnlyList<string> List(int i) => (cells[i] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            records.Add(new DirectoryRecord(where, Cell(0) ?? "", Cell(1) ?? "", Cell(2) ?? "", Cell(3) ?? "", Cell(4), Cell(5), List(6), List(7), Cell(8), Cell(9)));
        }

        return (records, errors);
    }

    public sealed record ImportResult(int Organizations, int Mediators, int Providers, IReadOnlyList<FieldError> Errors);

    public static async Task<ImportResult> ImportAsync(ConcordDb db, CatalogStore catalog, IReadOnlyList<DirectoryRecord> records, bool synthetic, Actor actor, DateTime at, CancellationToken ct)
    {
        var tree = catalog.Current.Tree;
        var known = await db.Set<MediationOrganizationRow>().Select(o => o.Code).ToListAsync(ct);
        var errors = DirectoryImport.Validate(records, code => tree.Find(code) is not null, known.ToHashSet(StringComparer.Ordinal).Contains);
        if (errors.Count > 0)
        {
            return new(0, 0, 0, errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var orgs = records.Where(r => r.Type == "organization").ToList();
        var mediators = records.Where(r => r.Type == "mediator").ToList();
        var providers = records.Where(r => r.Type == "provider").ToList();
        var orgCodes = orgs.Select(r => r.Code).ToList();
        var mediatorCodes = mediators.Select(r => r.Code).ToList();
        var providerCodes = providers.Select(r => r.Code).ToList();
        await db.Set<MediationOrganizationRow>().Where(o => orgCodes.Contains(o.Code)).ExecuteDeleteAsync(ct);
        await db.Set<MediatorRow>().Where(o => mediatorCodes.Contains(o.Code)).ExecuteDeleteAsync(ct);
        await db.Set<ReferralProviderRow>().Where(o => providerCodes.Contains(o.Code)).ExecuteDeleteAsync(ct);
        db.Set<MediationOrganizationRow>().AddRange(orgs.Select(r => new MediationOrganizationRow
        {
            Code = r.Code, Name = r.Name, Kind = r.Kind, TerritoryCode = r.Territory!, Specialties = string.Join(',', r.Specialties),
            Capacity = int.Parse(r.Capacity!, System.Globalization.CultureInfo.InvariantCulture), UnitCode = r.UserName, Synthetic = synthetic,
        }));
        db.Set<MediatorRow>().AddRange(mediators.Select(r => new MediatorRow
        {
            Code = r.Code, Name = r.Name, OrganizationCode = r.Organization!, Specialties = string.Join(',', r.Specialties),
            Languages = string.Join(',', r.Languages), UserName = r.UserName, Synthetic = synthetic,
        }));
        db.Set<ReferralProviderRow>().AddRange(providers.Select(r => new ReferralProviderRow
        {
            Code = r.Code, Name = r.Name, Kind = r.Kind, TerritoryCode = r.Territory!, Specialties = string.Join(',', r.Specialties), Synthetic = synthetic,
        }));
        AuditLog.Append(db, actor, "mediation.directory-imported", "mediation-directory", null, new { organizations = orgs.Count, mediators = mediators.Count, providers = providers.Count }, at);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new(orgs.Count, mediators.Count, providers.Count, []);
    }
}
