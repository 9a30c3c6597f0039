namespace Concord.Server.Features.Letters.Documents;

/// <summary>
/// What one of the five letters (五函: 预警函, 提示函, 督办函, 交办函, 警示函) says. The wording is the
/// caller's; <see cref="LetterDocument"/> only lays it out as an official letter (GB/T 9704-2012).
/// </summary>
/// <param name="IssuerName">发文机关, e.g. "平凉市综治中心": printed in red as the letterhead (发文机关标志) and as the signature (署名).</param>
/// <param name="Number">发文字号, e.g. "平综治督〔2026〕17号".</param>
/// <param name="Title">标题, e.g. "关于督促办理20261126-00000042号事项的督办函"; centred, broken into balanced lines when long.</param>
/// <param name="AddresseeName">主送机关, e.g. "崆峒区人力资源和社会保障局：" (the full-width colon is added when missing).</param>
/// <param name="BodyParagraphs">正文, one string per paragraph.</param>
/// <param name="Attachments">附件说明, one name per attachment (may be empty); numbered when there are several.</param>
/// <param name="IssuedOn">成文日期, printed in Arabic numerals: "2026年11月26日".</param>
/// <param name="ReplyBy">When set, the body ends with "请于2026年12月3日前书面反馈办理情况。".</param>
/// <param name="ContactLine">附注 under the date, e.g. "联系人：王明，电话：0933-8212345"; printed in full-width parentheses.</param>
public sealed record LetterContent(
    string IssuerName,
    string Number,
    string Title,
    string AddresseeName,
    IReadOnlyList<string> BodyParagraphs,
    IReadOnlyList<string> Attachments,
    DateOnly IssuedOn,
    DateOnly? ReplyBy,
    string? ContactLine);
