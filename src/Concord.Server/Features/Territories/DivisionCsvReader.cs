using System.Text;
using Concord.Domain.Matters;
using Concord.Domain.Territories;

namespace Concord.Server.Features.Territories;

/// <summary>Reads a divisions CSV: <c>code,name,level,parent_code</c> (the layout of ReferenceData/pingliang-divisions.csv).</summary>
public static class DivisionCsvReader
{
    public const string Header = "code,name,level,parent_code";

    public static (List<ImportedTerritory> Items, List<FieldError> Errors) Read(TextReader text)
    {
        var items = new List<ImportedTerritory>();
        var errors = new List<FieldError>();
        var line = 0;
        while (text.ReadLine() is { } raw)
        {
            line++;
            var record = SplitRecord(raw);
            var reference = $"line {line}";
            if (line == 1)
            {
                if (!string.Equals(string.Join(',', record).Trim().TrimStart('\uFEFF'), Header, StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add(new(reference, "import.bad_header", Header));
                    return (items, errors);
                }

                continue;
            }

            if (record.Length == 1 && string.IsNullOrWhiteSpace(record[0]))
            {
                continue;
            }

            if (record.Length != 4)
            {
                errors.Add(new(reference, "import.bad_columns", 4, record.Length));
                continue;
            }

            var (code, name, levelText, parent) = (record[0], record[1], record[2], record[3]);
            var ok = true;
            foreach (var (field, value) in new[] { ("code", code), ("name", name), ("level", levelText) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    errors.Add(new(reference, "import.empty_field", field));
                    ok = false;
                }
            }

            if (!TerritoryLevels.TryParse(levelText, out var level))
            {
                if (!string.IsNullOrWhiteSpace(levelText))
                {
                    errors.Add(new(reference, "import.bad_level", levelText, "province, city, county, township, community, grid"));
                }

                ok = false;
            }

            if (ok)
            {
                items.Add(new(reference, new Territory(code, name, level, string.IsNullOrWhiteSpace(parent) ? null : parent), null));
            }
        }

        return (items, errors);
    }

    /// <summary>
    /// Splits one CSV line (RFC 4180 quoting: "a,b" and "" inside quotes). Division names never
    /// span lines, so a record is a line.
    /// </summary>
    public static string[] SplitRecord(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString().Trim());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString().Trim());
        return fields.ToArray();
    }
}
