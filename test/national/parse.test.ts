import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseChannels } from '../../src/kb/national/channels.js';
import { parseDocuments } from '../../src/kb/national/documents.js';
import { parseLegalBasis } from '../../src/kb/national/legal-basis.js';
import { isSelected, levelsOf, parseLevels } from '../../src/kb/national/levels.js';
import { parseLine, readRecords, type NationalRecord } from '../../src/kb/national/record.js';
import { parseResult } from '../../src/kb/national/result.js';
import { toProcedure } from '../../src/kb/national/to-procedure.js';
import { procedureSchema, type ProcedureInput } from '../../src/kb/schemas.js';

// The national records as the crawl gives them (test/fixtures/national-sample.jsonl: real lines of the shipped
// catalogue), parsed into knowledge-base procedures.

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/national-sample.jsonl');
const CRAWLED = new Date('2026-07-20T00:00:00+07:00');
const records = new Map<string, NationalRecord>();
const parsed = (code: string): ProcedureInput => toProcedure(records.get(code) as NationalRecord);

beforeAll(async () => {
  for await (const r of readRecords(FIXTURE)) {
    if ('record' in r) records.set(r.record.ma_thu_tuc, r.record);
  }
});

describe('a national record as a procedure', () => {
  it('đăng ký khai sinh (1.001193): every field from the record, the portal noise left out', () => {
    const { steps, ...p } = parsed('1.001193');
    expect(p).toEqual({
      code: '1.001193',
      name: 'Thủ tục đăng ký khai sinh',
      field: 'Hộ tịch',
      level: 'Cấp xã',
      office: 'Ủy ban nhân dân cấp xã',
      competentBody: '',
      documents: [
        'Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập (1 bản chính)',
        'Văn bản ủy quyền (được chứng thực) theo quy định của pháp luật trong trường hợp ủy quyền thực hiện việc đăng ký khai sinh. Trường hợp người được ủy quyền là ông, bà, cha, mẹ, con, vợ, chồng, anh, chị, em ruột của người ủy quyền thì văn bản ủy quyền không phải chứng thực (1 bản chính)',
        'Trường hợp khai sinh cho trẻ em sinh ra do mang thai hộ phải có văn bản xác nhận của cơ sở y tế đã thực hiện kỹ thuật hỗ trợ sinh sản cho việc mang thai hộ (1 bản chính)',
        'Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận về việc sinh; nếu không có người làm chứng thì phải có giấy cam đoan về việc sinh (1 bản chính)',
        'Tờ khai đăng ký khai sinh theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp hoặc gửi hồ sơ qua hệ thống bưu chính) (1 bản chính)',
        'Mẫu hộ tịch điện tử tương tác đăng ký khai sinh (do người yêu cầu cung cấp thông tin theo hướng dẫn trên Cổng dịch vụ công, nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tuyến) (1 bản chính)',
      ],
      documentsToShow: [
        'Giấy tờ có giá trị chứng minh thông tin về cư trú trong trường hợp cơ quan đăng ký hộ tịch không thể khai thác được thông tin về nơi cư trú của công dân theo các phương thức quy định tại khoản 2 Điều 14 Nghị định số 104/2022/NĐ-CP ngày 21/12/2022 của Chính phủ. Trường hợp các thông tin về giấy tờ chứng minh nơi cư trú đã được khai thác từ Cơ sở dữ liệu quốc gia về dân cư bằng các phương thức này thì người có yêu cầu không phải xuất trình (theo hình thức trực tiếp) hoặc tải lên (theo hình thức trực tuyến) (1 bản chính)',
        'Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước/Căn cước điện tử/Giấy chứng nhận căn cước hoặc các giấy tờ khác có dán ảnh và thông tin cá nhân do cơ quan có thẩm quyền cấp, còn giá trị sử dụng (sau đây gọi tắt là giấy tờ tùy thân) để chứng minh về nhân thân khi làm thủ tục trực tiếp tại cơ quan đăng ký hộ tịch (1 bản chính)',
      ],
      processingTime: '1 (không ghi đơn vị)',
      fee: 'Miễn phí',
      channels: [
        { channel: 'Trực tuyến', time: '1 (không ghi đơn vị)', fee: 'Miễn phí', note: '' },
        { channel: 'Dịch vụ bưu chính', time: '1 (không ghi đơn vị)', fee: 'Miễn phí', note: '' },
        { channel: 'Trực tiếp', time: '1 (không ghi đơn vị)', fee: 'Miễn phí', note: '' },
      ],
      // The legal basis cites Thông tư 85/2019/TT-BTC: fees of the council's choosing (late registration, copies).
      feeByProvince: true,
      place: '',
      howToSubmit: 'Nộp trực tiếp, trực tuyến hoặc qua dịch vụ bưu chính.',
      onlineAvailable: true,
      onlineUrl: 'https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7',
      portalUrl: 'https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7',
      legalBasis: [
        '85/2019/TT-BTC — Thông tư Hướng dẫn về phí và lệ phí thuộc thẩm quyền quyết định của Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương',
        '104/2022/NĐ-CP — Nghị định sửa đổi, bổ sung một số điều của các Nghị định liên quan đến việc nộp xuất trình sổ hộ khẩu, sổ tạm trú giấy khi thực hiện thủ tục hành chính, cung cấp dịch vụ công',
        '123/2015/NĐ-CP — Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch',
        '08/2025/TT-BTP — Thông tư số 08/2025/TT-BTP ngày 12/6/2025 của Bộ trưởng Bộ Tư pháp quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp và phân cấp trong lĩnh vực quản lý nhà nước của Bộ Tư pháp',
        '18/2026/NĐ-CP — Nghị định sửa đổi, bổ sung một số nghị định để cắt giảm, đơn giản hóa thủ tục hành chính, điều kiện kinh doanh thuộc phạm vi quản lý của Bộ Tư pháp',
        '87/2020/NĐ-CP — Nghị định quy định về Cơ sở dữ liệu hộ tịch điện tử, đăng ký hộ tịch trực tuyến',
        '04/2024/TT-BTP — Sửa đổi, bổ sung một số điều của Thông tư số 02/2020/TT-BTP ngày 08/4/2020 của Bộ trưởng Bộ Tư pháp ban hành, hướng dẫn sử dụng, quản lý mẫu sổ quốc tịch và mẫu giấy tờ về quốc tịch và Thông tư số 04/2020/TT-BTP ngày 28/5/2020 của Bộ trưởng Bộ Tư pháp quy định chi tiết thi hành một số điều của Luật Hộ tịch và Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch',
        '03/2023/TT-BTP — Thông tư số 03/2023/TT-BTP ngày 02/8/2023 của Bộ trưởng Bộ Tư pháp',
        '106/2021/TT-BTC — Thông tư sửa đổi, bổ sung một số điều của Thông tư số 85/2019/TT-BTC ngày 29/11/2019 của Bộ Tài chính hướng dẫn về phí và lệ phí thuộc thẩm quyền quyết định của Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương',
        '04/2020/TT-BTP — Hướng dẫn Luật hộ tịch và Nghị định 123/2015/NĐ-CP hướng dẫn Luật hộ tịch do Bộ trưởng Bộ Tư pháp ban hành',
        '07/2025/NĐ-CP — Nghị định sửa đổi, bổ sung một số điều của các Nghị định trong lĩnh vực hộ tịch, quốc tịch, chứng thực',
        '120/2025/NĐ-CP — Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Tư pháp',
        '66.7/2025/NQ-CP — Nghị quyết số 66.7/2025/NQ-CP của Chính phủ: Quy định cắt giảm, đơn giản hóa thủ tục hành chính dựa trên dữ liệu',
        '60/2014/QH13 — Luật 60/2014/QH13',
        '01/2022/TT-BTP — Thông tư quy định chi tiết một số điều và biện pháp thi hành Nghị định số 87/2020/NĐ-CP ngày 28 tháng 7 năm 2020 của Chính phủ quy định về Cơ sở dữ liệu hộ tịch điện tử, đăng ký hộ tịch trực tuyến',
      ],
      conditions: '',
      eligibility: 'Công dân Việt Nam, Người Việt Nam định cư ở nước ngoài',
      result: 'Giấy khai sinh',
      decision: '163/QĐ-BTP',
      source: 'Cổng Dịch vụ công quốc gia',
      sourceDate: CRAWLED,
      verifiedBy: 'Cổng Dịch vụ công quốc gia',
      verifiedAt: CRAWLED,
      aliases: [],
      forms: [],
    });
    const lines = steps.split('\n');
    expect(lines).toHaveLength(25);
    expect(lines[0]).toMatch(/^- Nếu lựa chọn hình thức nộp hồ sơ trực tiếp, người yêu cầu đăng ký khai sinh nộp hồ sơ/);
    expect(lines.at(-1)).toBe('- Trường hợp trẻ chưa xác định được cả cha và mẹ nhưng không thuộc diện bị bỏ rơi, thì thực hiện tương tự như đăng ký khai sinh cho trẻ bị bỏ rơi, trong Sổ hộ tịch ghi rõ “Trẻ chưa xác định được cha, mẹ”.');
    // The crawl has decomposed letters ("Thu\u0323 ly\u0301"): everything is stored composed.
    expect(steps).toBe(steps.normalize('NFC'));
    expect(procedureSchema.safeParse(parsed('1.001193')).success).toBe(true);
  });

  it('đăng ký thường trú (Bộ Công an, 1.004222): a fee per channel, case titles before the documents, the notes group left out', () => {
    const p = parsed('1.004222');
    expect(p).toMatchObject({
      name: 'Đăng ký thường trú', field: 'Đăng ký, quản lý cư trú', level: 'Cấp xã', office: 'Công an cấp Xã', competentBody: 'Công an cấp Xã',
      processingTime: '7 ngày làm việc', howToSubmit: 'Nộp trực tiếp hoặc trực tuyến.', onlineAvailable: true, feeByProvince: false,
      decision: '1523/QĐ-BCA-C06', documentsToShow: [],
      conditions: 'Người thực hiện thủ tục đã được thu thập, cập nhật thông tin công dân vào Cơ sở dữ liệu quốc gia về dân cư, Cơ sở dữ liệu về cư trú',
      eligibility: 'Người Việt Nam định cư ở nước ngoài, Công dân Việt Nam',
      result: 'Cập nhật thông tin trong Cơ sở dữ liệu quốc gia về dân cư\nThông báo kết quả giải quyết thủ tục về cư trú, hủy bỏ thủ tục về cư trú\n'
        + 'Phiếu từ chối tiếp nhận, giải quyết hồ sơ (lĩnh vực cư trú)\nCập nhật thông tin trong Cơ sở dữ liệu về cư trú',
    });
    expect(p.channels.map((c) => [c.channel, c.time, c.fee.slice(0, 40)])).toEqual([
      ['Trực tuyến', '7 ngày làm việc', '10.000 đồng (Trường hợp công dân nộp hồ '],
      ['Trực tiếp', '7 ngày làm việc', '20.000 đồng (Trường hợp công dân thuộc d'],
    ]);
    expect(p.fee).toMatch(/^Trực tuyến: 10\.000 đồng \(Trường hợp công dân nộp hồ sơ qua cổng dịch vụ công trực tuyến thu 10\.000 đồng\/lần đăng ký\); Trực tiếp: 20\.000 đồng \(/);
    expect(p.documents).toHaveLength(15);
    expect(p.documents).toContain('Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ: Hợp đồng, văn bản về việc cho thuê, cho mượn, cho ở nhờ được công chứng hoặc chứng thực theo quy định của pháp luật (1 bản chính)');
    expect(p.documents.at(-1)).toBe('Đăng ký thường trú vào chỗ ở hợp pháp thuộc quyền sở hữu của mình: Tờ khai thay đổi thông tin cư trú (mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA) hoặc Tờ khai thay đổi thông tin về cư trú dùng cho công dân Việt Nam định cư ở nước ngoài không có hộ chiếu Việt Nam còn giá trị sử dụng (mẫu CT02 ban hành kèm theo Thông tư số 53/2025/TT-BCA) (1 bản chính)');
    expect(p.documents.some((d) => /Lưu ý/.test(d))).toBe(false);
    expect(p.legalBasis.slice(0, 3)).toEqual([
      '66.7/2025/NQ-CP — Nghị quyết số 66.7/2025/NQ-CP của Chính phủ: Quy định cắt giảm, đơn giản hóa thủ tục hành chính dựa trên dữ liệu',
      expect.stringMatching(/^53\/2025\/TT-BCA — Thông tư số 53\/2025\/TT-BCAngày 01\/7\/2025 của Bộ Công an sửa đổi, bổ sung .* Luật Căn cước$/),
      expect.stringMatching(/^66\/2023\/TT-BCA — Thông tư số 66\/2023\/TT-BCA Sửa đổi, bổ sung .* về quy trình đăng ký cư trú$/),
    ]);
    expect(p.legalBasis).toContain('68/2020/QH14 — Luật Cư trú 2020');
    expect(p.legalBasis).toHaveLength(11);
  });

  it('đăng ký đất đai lần đầu (1.012753): a time per channel, two results, the competent body apart from the office', () => {
    const p = parsed('1.012753');
    expect(p).toMatchObject({
      field: 'Đất đai', level: 'Cấp xã', office: 'Chủ tịch UBND cấp xã',
      competentBody: 'Ủy ban nhân dân cấp tỉnh, Cơ quan có chức năng quản lý đất đai cấp tỉnh',
      processingTime: 'Trực tuyến: 17 ngày làm việc; Dịch vụ bưu chính: 30 ngày làm việc; Trực tiếp: 20 ngày làm việc',
      fee: 'Theo quy định của Luật phí và lệ phí và các văn bản quy phạm pháp luật hướng dẫn Luật phí và lệ phí',
      feeByProvince: false,
      result: 'Quyết định hình thức sử dụng đất\nGiấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất',
      decision: '3380/QĐ-BNNMT',
    });
    expect(p.documents[0]).toBe('Đơn đăng ký đất đai, tài sản gắn liền với đất (1 bản chính, 1 bản sao)');
    expect(p.documents).toHaveLength(7);
    expect(p.legalBasis).toEqual([
      '101/2024/NĐ-CP — Nghị định',
      '118/2025/NĐ-C — Thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông tại Bộ phận Một cửa và cổng Dịch vụ công quốc gia',
      '151/2025/NĐ-CP — Quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp, phân quyền, phân cấp trong lĩnh vực đất đai',
      '43/2024/QH15 — Luật số 43/2024/QH15 ngày 29/6/2024',
      '226/2025/NĐ-CP — Sửa đổi, bổ sung một số điều của các nghị định quy định chi tiết thi hành Luật Đất đai',
      '31/2024/QH15 — Luật Đất đai ngày 18/01/2024',
    ]);
  });

  it('sát hạch lái tàu (1.005071): six channel rows, identical ones collapsed in the summaries, form names in the documents', () => {
    const p = parsed('1.005071');
    expect(p.channels).toHaveLength(6);
    expect(p.processingTime).toBe('Trực tuyến, Dịch vụ bưu chính, Trực tiếp: 3 ngày làm việc; Trực tuyến, Trực tiếp, Dịch vụ bưu chính: 3 ngày');
    expect(p.fee).toBe('Trực tuyến, Dịch vụ bưu chính, Trực tiếp: 100.000 đồng (Lệ phí cấp Giấy phép lái tàu: 100.000 đồng/01 lần cấp); '
      + 'Trực tuyến, Trực tiếp, Dịch vụ bưu chính: 950.000 đồng (Phí sát hạch lái tàu: 950.000 đồng/hồ sơ)');
    expect(p.documents[0]).toBe('Bản chính văn bản giấy hoặc bản điện tử văn bản đề nghị tổ chức sát hạch, cấp giấy phép lái tàu của doanh nghiệp kinh doanh đường sắt theo mẫu (mẫu: Phụ lục XVII) (1 bản chính)');
    expect(p).toMatchObject({ level: 'Cấp bộ, Cấp tỉnh', office: 'Cục Đường sắt Việt Nam, Chủ tịch ủy ban nhân dân cấp tỉnh', result: 'Giấy phép lái tàu', forms: [] });
  });

  it('giấy phép xây dựng (1.013236): the fee is the provincial council\'s, and says so', () => {
    const p = parsed('1.013236');
    expect(p).toMatchObject({ fee: 'Theo quy định của Hội đồng nhân dân cấp tỉnh', feeByProvince: true, processingTime: '20 ngày', level: 'Cấp tỉnh' });
    expect(p.documents[0]).toMatch(/^\(1\.1\) Đối với công trình không theo tuyến: 02 bộ bản vẽ thiết kế xây dựng/);
  });

  it('keeps a name of 1,094 characters whole, and sets no invented aliases or links', () => {
    const p = parsed('1.013980');
    expect(p.name).toHaveLength(1094);
    expect(p.name).toMatch(/^Đăng ký biến động đối với trường hợp thay đổi quyền sử dụng đất/);
    expect(procedureSchema.safeParse(p).success).toBe(true);
    for (const code of records.keys()) expect(parsed(code)).toMatchObject({ aliases: [], forms: [] });
  });
});

describe('the flattened tables', () => {
  it('splits channels even when the description names another channel, and reads a bare time running into the amount', () => {
    expect(parseChannels('Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp10 NgàyKhông có thông tinTrực tiếp tại cơ quan Công an cấp huyện.Trực tuyến1200 VNĐ(200 USD/hồ sơ)')).toEqual([
      { channel: 'Trực tiếp', time: '10 ngày', fee: '', note: 'Trực tiếp tại cơ quan Công an cấp huyện.' },
      { channel: 'Trực tuyến', time: '1 (không ghi đơn vị)', fee: '200 USD/hồ sơ', note: '' },
    ]);
    expect(parseChannels('Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyếnKhông quy địnhMiễn phí(Mức lệ phí do Hội đồng nhân dân cấp tỉnh quyết định.)Nộp qua Cổng')).toEqual([
      { channel: 'Trực tuyến', time: 'Không quy định', fee: 'Mức lệ phí do Hội đồng nhân dân cấp tỉnh quyết định', note: 'Nộp qua Cổng' },
    ]);
    expect(parseChannels('Không có thông tin')).toEqual([]);
  });

  it('takes only the last digit before "bản chính" as the count, and the form file name out of the document', () => {
    const d = parseDocuments('--Tên giấy tờMẫu đơn, tờ khaiSố lượngVăn bản đề nghị cấp tài khoản điện tử (NA19).Mau NA19-BCA.docx1 bản chính'
      + '- Bản sao quyết định theo Thông tư số 02/2026/TT-BNNMT ngày 01/01/20261 bản chính,1 bản saoGhi chú không phải nộp0 bản chính');
    expect(d).toEqual({ toShow: [], toSubmit: [
      'Văn bản đề nghị cấp tài khoản điện tử (NA19) (mẫu: Mau NA19-BCA) (1 bản chính)',
      'Bản sao quyết định theo Thông tư số 02/2026/TT-BNNMT ngày 01/01/2026 (1 bản chính, 1 bản sao)',
    ] });
  });

  it('splits legal titles from numbers run into them, including a title ending in a year', () => {
    expect(parseLegalBasis('Tên văn bản pháp lýMã văn bảnLuật Khiếu nại  năm 201102/2011/QH13Luật 60/2014/QH1360/2014/QH13Nghị định 08/2015/NĐ-CP08/2015/NĐ-CP')).toEqual([
      '02/2011/QH13 — Luật Khiếu nại năm 2011',
      '60/2014/QH13 — Luật 60/2014/QH13',
      '08/2015/NĐ-CP — Nghị định 08/2015/NĐ-CP',
    ]);
    expect(parseLegalBasis('Không có thông tin')).toEqual([]);
  });

  it('keeps only the result names from the result block', () => {
    expect(parseResult('Giấy khai sinhMã: KQ.G15.000031Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan thực hiệnNộp hồ sơ')).toBe('Giấy khai sinh');
  });
});

describe('levels and malformed lines', () => {
  it('selects by level: "Cơ quan khác" counts as commune level, "all" keeps everything', () => {
    expect(levelsOf('Cấp bộ, Cấp tỉnh, Cơ quan khác')).toEqual(['bo', 'tinh', 'xa']);
    expect(parseLevels('xa,tinh')).toEqual(['xa', 'tinh']);
    expect(parseLevels('all')).toEqual(['bo', 'tinh', 'xa']);
    expect(parseLevels('huyen')).toBeUndefined();
    expect(isSelected('Cấp bộ', ['tinh', 'xa'])).toBe(false);
    expect(isSelected('Cấp bộ, Cấp xã', ['tinh', 'xa'])).toBe(true);
    expect(isSelected('Cơ quan khác', ['xa'])).toBe(true);
  });

  it('says why a line is not a record', () => {
    expect(parseLine('{"ma_thu_tuc": "1.1"', 7)).toMatchObject({ line: 7, error: expect.stringMatching(/^không phải JSON hợp lệ/) });
    expect(parseLine('{"ten_thu_tuc": "X"}', 8)).toEqual({ line: 8, error: 'thiếu mã thủ tục (ma_thu_tuc)' });
    expect(parseLine('{"ma_thu_tuc": "1.1", "ten_thu_tuc": "  "}', 9)).toEqual({ line: 9, error: 'thiếu tên thủ tục (ten_thu_tuc)' });
    expect(parseLine('[1]', 10)).toEqual({ line: 10, error: 'không phải một bản ghi (đối tượng JSON)' });
  });
});
