using Concord.Server.Access.PersonalData;
using Concord.Server.Features.Letters.Documents;

namespace Concord.Server.Features.Mediation;

/// <summary>One obligation as printed: who, what, by when.</summary>
public sealed record AgreementObligation(string Party, string Description, DateOnly DueOn);

/// <summary>
/// 人民调解协议书 as DOCX, in the official layout of the letters (GB/T 9704 via <see cref="LetterDocument"/>):
/// the organization as the issuer and signature, the agreement number, the parties (name, role, phone), the
/// facts (纠纷主要事实), the obligations with their deadlines (协议内容), how performance is followed up, the
/// judicial confirmation note, and the signature block of the parties and the mediator.
/// </summary>
public static class AgreementDocument
{
    public static byte[] Render(string organization, string number, string mediator, IReadOnlyList<PersonData> parties, string facts,
        IReadOnlyList<AgreementObligation> obligations, DateOnly agreedOn)
    {
        var body = new List<string> { "当事人：" };
        body.AddRange(parties.Select((p, i) => $"{i + 1}. {p.Role ?? "当事人"}：{p.Name}" + (string.IsNullOrWhiteSpace(p.Phone) ? "" : $"，联系电话：{p.Phone}")));
        body.Add("纠纷主要事实、争议事项：");
        body.Add(facts);
        body.Add("经调解，各方当事人自愿达成如下协议：");
        body.AddRange(obligations.Select((o, i) => $"{i + 1}. {o.Party}{o.Description.TrimEnd('。')}，于{LetterDocument.FormatDate(o.DueOn)}前履行完毕。"));
        body.Add($"履行方式、时限：按上述约定履行；{organization}于各项义务履行期限届满时进行履行回访。");
        body.Add("本协议自各方当事人签名（盖章或按指印）、人民调解员签名并加盖人民调解委员会印章之日起生效。各方当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认。");
        body.Add("本协议一式" + ToChinese(parties.Count + 1) + "份，当事人各执一份，人民调解委员会留存一份。");
        body.Add("当事人（签名）：");
        body.AddRange(parties.Select(p => $"{p.Role ?? "当事人"} {p.Name}：________　　年　月　日"));
        body.Add($"人民调解员（签名）：{mediator}________");
        var content = new LetterContent(organization, number, "人民调解协议书", "各方当事人", body, [], agreedOn, null, null);
        return LetterDocument.Render(content);
    }

    private static string ToChinese(int n) => n switch
    {
        2 => "两", 3 => "三", 4 => "四", 5 => "五", 6 => "六", 7 => "七", 8 => "八", 9 => "九", 10 => "十",
        _ => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
