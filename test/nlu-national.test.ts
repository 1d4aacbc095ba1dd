import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LEVELS, isSelected } from '../src/kb/national/levels.js';
import { loadNluData } from '../src/nlu/data-files.js';
import { Nlu, type Understanding } from '../src/nlu/nlu.js';
import { Normalizer } from '../src/nlu/normalizer.js';
import { DEFAULT_NLU_OPTIONS } from '../src/nlu/options.js';
import { PlaceIndex } from '../src/places/place-index.js';
import { evaluateNational, loadNationalSet } from './nlu/evaluate-national.js';
import { kbWithNational } from './nlu/national-kb.js';

// Understanding over the whole national catalogue (the sample plus 2,642 records), on questions written as
// citizens type. Floors sit a little under what was measured (README, "Measured figures"): a regression fails.

let nlu: Nlu;
const dir = path.join(import.meta.dirname, 'nlu/national');
/** The procedure answered (or undefined) followed by the options offered: its first is what the bot puts first. */
const names = (u: Understanding) => [u.procedure?.name, ...u.candidates.map((c) => c.item.name)];
const codes = (u: Understanding) => [u.procedure?.code, ...u.candidates.map((c) => c.item.code)];

beforeAll(() => {
  nlu = new Nlu(loadNluData(), kbWithNational(() => true), DEFAULT_NLU_OPTIONS, PlaceIndex.fromFiles());
}, 60_000);

describe('understanding over the national catalogue', () => {
  // Each set's floors (development sets higher; the blind sets are never read to make a change).
  const floors: Array<{ name: string; file: string; lines?: number; clearResolved: number; clearTop1?: number; ambiguousHandled?: number; confidentlyWrong: number; oosF1: number }> = [
    { name: 'the development set', file: 'devset.jsonl', lines: 500, clearResolved: 0.78, clearTop1: 0.33, ambiguousHandled: 0.85, confidentlyWrong: 0.05, oosF1: 0.8 },
    // Since the sixteenth session 1,050 of its lines are over records drawn at random from the whole catalogue (banks,
    // customs, aviation as much as the commune's), first read at top-1 0.24-0.56: resolved 0.85 and wrong 4.0 % at 7,419.
    // The seventeenth session's 896 (records drawn at random, first read at top-1 0.28-0.49): 0.838 and 4.1 % at 8,315.
    // The eighteenth's 599 (first read at top-1 0.27-0.35): 0.833 and 4.2 % at 8,914.
    { name: 'the wider development set', file: 'devset-wide.jsonl', lines: 8910, clearResolved: 0.83, clearTop1: 0.42, confidentlyWrong: 0.045, oosF1: 0.8 },
    { name: 'the blind held-out set', file: 'heldout/heldout.jsonl', clearResolved: 0.72, ambiguousHandled: 0.6, confidentlyWrong: 0.06, oosF1: 0.8 },
    { name: 'the second blind set', file: 'heldout/heldout-2.jsonl', clearResolved: 0.72, confidentlyWrong: 0.07, oosF1: 0.7 },
    { name: 'the third blind set', file: 'heldout/heldout-3.jsonl', clearResolved: 0.8, confidentlyWrong: 0.06, oosF1: 0.75 },
  ];
  it.each(floors)('meets its floors on $name (figures printed)', (f) => {
    const lines = loadNationalSet(path.join(dir, f.file));
    const { errors, ...figures } = evaluateNational(nlu, lines);
    console.log(`National ${f.name}`, JSON.stringify(figures));
    expect(lines.length).toBeGreaterThanOrEqual(f.lines ?? 150);
    expect(errors.length).toBeGreaterThan(0); // the floors are floors, not a copy of the figures
    expect(figures.clearResolved).toBeGreaterThanOrEqual(f.clearResolved);
    expect(figures.clearTop1).toBeGreaterThanOrEqual(f.clearTop1 ?? 0);
    expect(figures.ambiguousHandled).toBeGreaterThanOrEqual(f.ambiguousHandled ?? 0);
    expect(figures.confidentlyWrong).toBeLessThanOrEqual(f.confidentlyWrong);
    expect(figures.oosF1).toBeGreaterThanOrEqual(f.oosF1);
  });

  it('has the registers and kinds the set is meant to have', () => {
    const lines = loadNationalSet(path.join(dir, 'devset.jsonl'));
    const share = (f: (l: (typeof lines)[number]) => boolean) => lines.filter(f).length / lines.length;
    expect(share((l) => l.register === 'no_diacritics')).toBeGreaterThanOrEqual(0.3);
    expect(share((l) => l.register === 'noisy')).toBeGreaterThanOrEqual(0.15);
    expect(lines.filter((l) => l.kind === 'oos').length).toBeGreaterThanOrEqual(50);
    expect(lines.filter((l) => l.kind === 'ambiguous').length).toBeGreaterThanOrEqual(50);
  });
});

describe('telling near-identical procedures apart', () => {
  it.each([
    ['làm giấy khai sinh cho con cần gì', '1.001193'],
    ['đăng ký kết hôn với người Hàn Quốc cần giấy tờ gì', '2.000806'],
    ['bị mất căn cước làm lại ở đâu', '1.014064'],
    ['căn cước hết hạn đi đổi cần mang gì', '1.014063'],
    ['tách thửa đất mất bao lâu', '1.012784'],
    ['xin phiếu lý lịch tư pháp ở đâu', '3.000333'],
  ])('"%s" is answered with %s or offered among the options', (text, code) => {
    const u = nlu.understand(text);
    expect(u.intent).toBe('procedure_lookup');
    const answered = u.decision.kind === 'procedure' ? u.decision.procedure.code : undefined;
    const offered = u.candidates.map((c) => c.item.code);
    expect(answered === code || offered.includes(code)).toBe(true);
  });

  it('asks which one for "đăng ký xe", a family of procedures with no base among them', () => {
    const u = nlu.understand('đăng ký xe');
    expect(u.clarify).toBe(true);
    expect(u.candidates.length).toBeGreaterThanOrEqual(2);
    expect(u.candidates.length).toBeLessThanOrEqual(4);
  });

  it('answers "làm bằng lái xe" with the licence itself or asks among the licence procedures, nothing else', () => {
    const u = nlu.understand('làm bằng lái xe');
    const named = u.decision.kind === 'procedure' ? [u.decision.procedure] : u.candidates.map((c) => c.item);
    expect(named.length).toBeGreaterThan(0);
    for (const p of named) expect(p.name.toLowerCase()).toContain('giấy phép lái xe');
  });

  it('never answers a lost document with the procedure for the first time, nor the first time with a re-issue', () => {
    for (const text of ['mất sổ đỏ', 'mat so do thi xin cap lai o dau', 'sổ đỏ bị mất làm lại thế nào ạ']) {
      // Cấp lại Giấy chứng nhận do bị mất: answered, or offered first (Understanding.procedure)
      expect(nlu.understand(text).procedure?.code, text).toBe('1.012786');
    }
    expect(nlu.understand('làm sổ đỏ lần đầu').procedure?.name).toMatch(/lần đầu/);
  });

  it('answers registering a household business with the registration, not with stopping it, unless stopping is asked', () => {
    for (const text of ['thủ tục đăng ký hộ kinh doanh', 'dang ky ho kinh doanh mat bao nhieu tien']) {
      const u = nlu.understand(text);
      expect(u.decision.kind, text).toBe('procedure');
      expect(u.procedure?.code, text).toBe('1.001612'); // Đăng ký thành lập hộ kinh doanh
    }
    expect(nlu.understand('dừng kinh doanh hộ cá thể').procedure?.name).toMatch(/^Dừng/);
  });

  it('reads a name written with abbreviations ("công ty TNHH", "BHXH") as the message spelled out or abbreviated', () => {
    const first = (text: string) => nlu.understand(text).procedure?.code; // answered, or offered first
    // Đăng ký thành lập công ty TNHH một thành viên
    for (const text of ['Em muốn mở công ty TNHH một thành viên, hồ sơ gồm những gì ạ?', 'đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên']) {
      expect(first(text), text).toBe('2.001583');
    }
    // "1" and "2" as the names write them: Đăng ký thành lập công ty TNHH hai thành viên trở lên
    expect(first('lập cty tnhh 2 thành viên thế nào')).toBe('2.001199');
    expect(first('rút bảo hiểm 1 lần ở đâu')).toBe('1.001613'); // Giải quyết hưởng bảo hiểm xã hội một lần
    // Đăng ký, đăng ký lại, điều chỉnh đóng BHXH tự nguyện; cấp sổ BHXH
    for (const text of ['đóng bhxh tự nguyện ở đâu', 'muốn tham gia bảo hiểm xã hội tự nguyện thì đăng ký thế nào']) {
      expect(first(text), text).toBe('1.002179');
    }
    // "nc ngoài" is "nước ngoài": a marriage with a foreigner is never answered with the plain marriage registration.
    const foreign = nlu.understand('dk ket hon vs ng nc ngoai');
    expect(foreign.decision.kind).toBe('clarify');
    expect(foreign.candidates.map((c) => c.item.name)).toContain('Thủ tục đăng ký kết hôn có yếu tố nước ngoài');
    // Only words written in capitals are read as abbreviations in a name.
    const normalizer = new Normalizer(loadNluData().abbreviations);
    expect(normalizer.spellOut('Cấp sổ BHXH, thẻ BHYT cho hs')).toBe('Cấp sổ bảo hiểm xã hội, thẻ bảo hiểm y tế cho hs');
    expect(normalizer.spellOut('Chế độ TNLĐ, BNN (cấp tỉnh) II')).toBe('Chế độ tai nạn lao động, bệnh nghề nghiệp (cấp tỉnh) II');
    // "1" and "2" standing alone, as a message's are read; dates and codes stay as written.
    expect(normalizer.spellOut('tài khoản mức độ 02, loại 1')).toBe('tài khoản mức độ hai, loại một');
    expect(normalizer.spellOut('trước ngày 01/7/2014, mã 1.013, 2,5 ha, 12 tháng')).toBe('trước ngày 01/7/2014, mã 1.013, 2,5 ha, 12 tháng');
    // Abbreviations ending in y are read although a message's words are spelled with i ("cty" is read "cti").
    expect(normalizer.normalize('giải thể cty').tokens).toEqual(['giai', 'the', 'cong', 'ti']);
    expect(normalizer.normalize('the bhyt').tokens).toEqual(['the', 'bao', 'hiem', 'y', 'te']);
    // "công ty" is also "doanh nghiệp", the word the records use.
    expect(first('đổi tên cty thì làm thủ tục gì')).not.toBe('1.004859'); // not the change of a person's name
  });

  it('does not read a procedure question as one about a reform model because a model\'s keyword names the procedure', () => {
    // The sample's models have keywords such as "đăng ký kết hôn" and "tư pháp", which national names also say.
    for (const text of ['bị phạt tù rồi thì lý lịch tư pháp có ghi không', 'chồng 20 tuổi vợ 18 tuổi đã đủ tuổi đăng ký kết hôn chưa',
      'đã xóa án tích thì phiếu lý lịch tư pháp còn ghi không']) {
      expect(nlu.understand(text).intent, text).toBe('procedure_lookup');
    }
    // The model's own words still name it.
    expect(nlu.understand('thư chúc mừng khi đăng ký kết hôn là mô hình gì').intent).toBe('model_info');
    // A model's keyword in a message mostly about something else ("học sinh", "công an xã") does not make it one about
    // the model; a message that is mostly the model's words still is.
    for (const text of ['xin học bổng cho học sinh nghèo', 'Tôi muốn khiếu nại quyết định xử phạt của công an xã thì làm thế nào?']) {
      expect(nlu.understand(text).intent, text).not.toBe('model_info');
    }
    // ...even when the classifier is sure it is a procedure question, if no procedure matches it even fairly.
    for (const text of ['ngày thứ năm không hẹn là sao', 'máy aps dùng thế nào', 'viết hộ đơn cho người không biết chữ',
      'đội hỗ trợ dịch vụ công miễn phí ở đâu']) {
      expect(nlu.understand(text).intent, text).toBe('model_info');
    }
  });

  it('reads a home-service request only where the message says so ("đến nhà", "bị liệt"), not from the word "nhà"', () => {
    for (const text of ['con trai cưới vợ rồi ở chung nhà bố mẹ có được tách hộ không', 'nhà tôi nghèo, chồng bị tai nạn mất sức, xin xét hộ nghèo được không']) {
      expect(nlu.understand(text).intent, text).toBe('procedure_lookup');
    }
    expect(nlu.understand('ông nội bị tai biến nằm một chỗ, cán bộ xã đến nhà chứng thực được không').intent).toBe('home_service');
    // A business or a class run at home is no request to be served there (not_cues in home_service.yaml).
    for (const text of ['Tôi muốn xin giấy phép để mở lớp dạy thêm tại nhà', 'nấu cơm tại nhà bán có cần giấy an toàn thực phẩm']) {
      expect(nlu.understand(text).intent, text).not.toBe('home_service');
    }
    expect(nlu.understand('mẹ tôi muốn chứng thực tại nhà vì không đi được').intent).toBe('home_service');
    // A phrase an official taught for home_service is one of its cues.
    const kb = kbWithNational(() => true);
    const taught = 'nhờ xã cử người sang giúp ông bà làm giấy tờ'; // none of the cue words
    const withPhrase = new Nlu(loadNluData(), { ...kb, phrases: [...kb.phrases, { text: taught, intent: 'home_service', targetType: null, targetId: null }] },
      DEFAULT_NLU_OPTIONS);
    expect(withPhrase.understand(taught).intent).toBe('home_service');
  });

  it('answers a home-service request that names a registration done at home ("lưu động") with that procedure', () => {
    const u = nlu.understand('Ông bà ngoại tui giờ mới muốn làm giấy kết hôn mà bà nằm liệt giường, cán bộ xuống tận nhà đăng ký kết hôn được hông');
    expect(u.decision.kind).toBe('procedure');
    expect(u.procedure?.code).toBe('1.000593');
    // A procedure not done at home by its nature stays a request to book the home service.
    expect(nlu.understand('mẹ tôi già yếu không đi được, nhờ cán bộ xuống nhà làm căn cước').intent).toBe('home_service');
  });

  it('reads asking an official to come, and a complaint, as that request though the message names its procedure', () => {
    // The classifier reads the request first but not surely; the procedure is named well (stands_with in the intent files).
    expect(nlu.understand('mẹ em nằm một chỗ, muốn làm giấy ủy quyền, nhờ cán bộ tư pháp xuống tận nhà giúp').intent).toBe('home_service');
    for (const text of ['xin giấy xác nhận tình trạng hôn nhân mà cán bộ hẹn tới hẹn lui cả tháng, tôi rất bức xúc',
      'làm sổ đỏ mà bị gây khó dễ, hẹn lên hẹn xuống, bực mình lắm']) {
      expect(nlu.understand(text).intent, text).toBe('feedback');
    }
    // The same procedures asked about stay procedure questions.
    expect(nlu.understand('xin giấy xác nhận tình trạng hôn nhân cần giấy tờ gì').procedure?.code).toBe('1.004873');
  });

  it('reads "nhập khẩu" as registering a residence, but not what a firm imports or its import tax', () => {
    expect(nlu.understand('nhập khẩu cho con vào hộ ông bà').procedure?.code).toBe('1.004222');
    for (const text of ['công ty nhập lô máy móc bị hư, xin giảm thuế nhập khẩu được không', 'Công ty em nhập rượu ngoại, tem điện tử rượu nhập khẩu mua ở đâu']) {
      const u = nlu.understand(text);
      expect(u.procedure?.code, text).not.toBe('1.004222');
      expect(u.candidates.map((c) => c.item.code), text).not.toContain('1.004222');
    }
  });

  it('reads "bị mất hộ chiếu" with "mất hộ chiếu" as well as "bị mất": the lost passport is reported, not a new one issued', () => {
    for (const text of ['em bị mất hộ chiếu, báo mất ở đâu vậy', 'mất hộ chíu làm lại ntn ad']) {
      expect(nlu.understand(text).procedure?.name, text).toMatch(/^Trình báo mất hộ chiếu/);
    }
  });

  it('tells which part of a procedure is asked in the ways people ask it (fee, time, place, online, papers)', () => {
    const asks: Record<string, string[]> = {
      fee: ['hết bao nhiêu tiền', 'nhiêu tiền ad', 'có mất phí không', 'tốn kém không', 'có tốn đồng nào không', 'giá thế nào', 'đóng những khoản gì', 'mấy đồng 1 trang',
        'có thu tiền không', 'tốn hết nhiêu', 'mất mấy trăm', 'có free không', 'có tốn gì không', 'có tốn chi không', 'bao nhiu 1 trang'],
      duration: ['mấy ngày thì xong', 'khi nào lấy được', 'có lâu không', 'bn ngày', 'nộp xong thì bao giờ đi lấy', 'có lẹ hông ad',
        'khi nào nhận được', 'bao giờ được nhận', 'nộp hôm nay thì ngày nào có', 'làm xong liền không', 'cần gấp có kịp không'],
      place: ['nộp ở đâu', 'ra đâu làm', 'lên đâu nộp', 'ai giải quyết', 'làm đơn gửi ai', 'làm ở xã nơi sinh hay nơi ở bây giờ',
        'có phải lên tỉnh không', 'phòng ban nào làm', 'gửi đâu', 'nộp đâu vậy ad', 'nộp hồ sơ cho ai',
        // where a step is done, and which one: no place phrase, the words around "ở" ask it
        'thì nộp ở công an tỉnh hay ở sở', 'nộp hồ sơ ở chi cục thuế nào', 'làm ở phường phải không ạ'],
      online: ['nộp qua mạng được không', 'không cần đến có làm được không', 'làm trên điện thoại được không', 'qua zalo được không',
        'ngồi nhà làm được không'],
      documents: ['cần giấy tờ gì', 'cần hồ sơ gì', 'phải mang những giấy gì', 'có cần sổ hộ khẩu không', 'giấy tờ cần để làm', 'cần chi',
        'cần mấy bản', 'cần bao nhiêu bộ hồ sơ', 'có cần ảnh không', 'mang bản sao hay bản chính', 'giấy tờ thế nào', 'cần những cái gì',
        'cần cung cấp gì', 'cần xuất trình gì', 'hồ sơ có những gì', 'cần những chứng từ gì', 'ngoài đơn còn cần những tài liệu gì'],
      forms: ['đơn viết sao', 'tờ khai điền thế nào'],
      eligibility: ['thì cần đk gì ạ', 'cần dk j', 'cần tiêu chuẩn gì', 'phải đi cùng vợ không ad'],
    };
    for (const [aspect, phrases] of Object.entries(asks)) {
      for (const p of phrases) {
        for (const procedure of ['làm giấy khai sinh cho con', 'xin cấp lại sổ đỏ bị mất']) {
          expect(nlu.understand(`${procedure} ${p}`).entities.aspect, `${procedure} ${p}`).toBe(aspect);
        }
      }
    }
    // Words of the record's name do not say the aspect, but only if written the same: "cổng dịch vụ công" is not the
    // "…bằng dịch vụ công trực tuyến" of the vehicle transfer's name ("cổng" folds to "công").
    expect(nlu.understand('Sang tên xe máy có nộp hồ sơ trên cổng dịch vụ công được không ạ?').entities.aspect).toBe('online');
    // "cần / phải / được ... không" closing a message asks whether one may or must; "nhà ở xã hội" is no office.
    expect(nlu.understand('cho heo qua tinh khac ban can kiem dich ko').entities.aspect).toBe('eligibility');
    expect(nlu.understand('Vợ chồng tôi làm công nhân, có được mua nhà ở xã hội không?').entities.aspect).toBe('eligibility');
    // "làm ở xã thế nào" asks how, not which office.
    expect(nlu.understand('làm giấy khai sinh cho con ở xã thế nào').entities.aspect).toBe('general');
    // Papers said to be missing are not papers asked for.
    expect(nlu.understand('đất chưa có giấy tờ gì thì có được cấp sổ đỏ không').entities.aspect).toBe('eligibility');
    expect(nlu.understand('làm sổ đỏ lần đầu cần có giấy tờ gì').entities.aspect).toBe('documents');
    // "mai táng phí", "học phí" name a payment, not the procedure's fee; "mai táng phí bao nhiêu tiền" asks it.
    expect(nlu.understand('mai tang phi').entities.aspect).toBe('general');
    expect(nlu.understand('mai táng phí bao nhiêu tiền').entities.aspect).toBe('fee');
    // "mẫu mới" is the new model of a paper, not a form.
    expect(nlu.understand('đổi sổ đỏ cũ sang mẫu mới').entities.aspect).toBe('general');
    expect(nlu.understand('mẫu đơn đăng ký khai sinh').entities.aspect).toBe('forms');
  });

  it('reads questions about the Trung tâm phục vụ hành chính công (the one-stop office since July 2025) as contact questions', () => {
    for (const text of ['địa chỉ trung tâm phục vụ hành chính công ở đâu ạ', 'trung tâm phục vụ hành chính công phường mở cửa mấy giờ',
      'số điện thoại trung tâm phục vụ hành chính công xã']) {
      expect(nlu.understand(text).intent, text).toBe('contact_info');
    }
  });

  it('reads a newly bought motorbike or car as its first registration', () => {
    for (const text of ['đăng ký xe máy mới mua', 'mới mua xe máy thì đăng ký ở đâu', 'dang ky xe oto moi mua', 'mới mua ô tô cần làm giấy tờ gì']) {
      const u = nlu.understand(text);
      expect(u.intent, text).toBe('procedure_lookup');
      expect(u.procedure?.name, text).toMatch(/^Đăng ký.* xe lần đầu/);
    }
    // ...but a second-hand one as a change of owner.
    for (const text of ['nhà e mới mua xe máy cũ, sang tên đổi chủ ở đâu', 'sang tên đổi chủ xe máy', 'vừa mua xe máy cũ của người quen thì làm giấy tờ gì',
      'sang tên ô tô mua lại của người quen']) {
      expect(nlu.understand(text).procedure?.code, text).toBe('1.013076');
    }
    // A classifier word between the words of a phrase ("mua lại chiếc xe") does not hide it.
    for (const text of ['em vừa mua lại chiếc xe máy của hàng xóm, giờ sang tên thế nào ạ', 'mua lai chiec xe may cu thi sang ten o dau']) {
      expect(nlu.understand(text).procedure?.code, text).toBe('1.013076');
    }
  });

  it('reads words misspelt by sound ("khai xinh", "thường chú", "trứng thực") as the words meant', () => {
    const cases: Array<[string, string]> = [
      ['làm giấy khai xinh cho bé', '1.001193'], ['lam giay khai xinh cho con', '1.001193'],
      ['đăng ký thường chú cho con', '1.004222'], ['trứng thực bản sao ở đâu', '2.000815'],
    ];
    for (const [text, code] of cases) expect(nlu.understand(text).procedure?.code, text).toBe(code);
    // "cho bé" is not a child's identity card: the birth registration is answered, not offered beside the card.
    expect(nlu.understand('làm giấy khai sinh cho bé').procedure?.code).toBe('1.001193');
    expect(nlu.understand('làm căn cước cho bé').procedure?.code).toBe('1.014062');
  });

  it('reads an area ("300m2") or a garden as a plot of land, and land cleared long ago as a first certificate', () => {
    const u = nlu.understand('Cho em hỏi, nhà em có mảnh vườn 300m2, giờ bố mẹ muốn tách cho em 100m2 để làm nhà thì làm những gì?');
    expect(u.procedure?.code).toBe('1.012784'); // the plot split, not the household's (Tách hộ)
    expect(nlu.understand('công nhận quyền sử dụng đất cho đất khai hoang từ năm 1990 chưa có giấy tờ gì').procedure?.code).toBe('1.013978');
  });

  it('reads a certificate of being unmarried said in words, not a mother without a husband, as the marital-status certificate', () => {
    expect(nlu.understand('xác nhận chưa có chồng để làm hồ sơ').procedure?.code).toBe('1.004873');
    const u = nlu.understand('con tôi chưa có chồng mà có con, làm khai sinh thế nào');
    expect(u.candidates.map((c) => c.item.code)).not.toContain('1.004873');
    const wall = nlu.understand('xây tường rào có cần xin phép không');
    expect(wall.procedure?.code ?? wall.candidates[0]?.item.code).toBe('1.013225');
  });

  it('answers a question about the reorganisation that names no unit with the FAQ officials wrote for it, not the map', () => {
    for (const text of ['sau sáp nhập giấy tờ cũ có phải đổi không', 'xã em mới sáp nhập, con dấu mới chưa có, giấy tờ cũ còn dùng được không']) {
      const u = nlu.understand(text);
      expect(u.decision.kind, text).toBe('faq');
      expect(u.faq?.faq.questions[0], text).toBe('Giấy tờ ghi địa chỉ cũ có phải đổi không?');
    }
    // A unit named is still looked up on the map.
    expect(nlu.understand('huyện Hòa Vang cũ giờ nộp hồ sơ ở đâu').intent).toBe('locality');
    expect(nlu.understand('xã Tân Lập cũ giờ là xã nào').decision.kind).toBe('intent');
    // Thanks with it is courtesy; "what became of it" right after a unit asks about the unit.
    for (const text of ['p Thuận An tx Long Mỹ Hậu Giang cũ bh là p j ạ, e cảm ơn nhìu', 'huyen chau thanh tien giang gio ra sao']) {
      expect(nlu.understand(text).intent, text).toBe('locality');
    }
  });

  it('reads a procedure asked beside an old place as that procedure, and what a unit is now as the map\'s question', () => {
    const u = nlu.understand('lm giấy khai tử cho ba mất mấy ngày, nhà ở xã Húc cũ');
    expect(u.intent).toBe('procedure_lookup');
    expect(codes(u)[0]).toBe('1.000656');
    expect(u.entities.aspect).toBe('duration');
    expect(u.place?.mentions.map((m) => m.text)).toEqual(['xã Húc']);
    // The unit asked about, though a paper or a procedure's word is in the message ("căn cước", "Tam" as "tạm").
    for (const text of ['căn cước em ghi xã Húc, huyện Hướng Hóa, giờ đổi thành xã gì ạ', 'xa tam thanh cu gio la xa gi',
      'Tỉnh Quảng Bình sáp nhập với tỉnh nào, tên tỉnh mới là gì', 'phường Bàn Cờ gồm những phường cũ nào, hóa đơn tiền điện nhà em ghi tên mới']) {
      expect(nlu.understand(text).intent, text).toBe('locality');
    }
    // Where to do what it names but not which of its procedures: asked which one (the answer starts with the map's).
    const which = nlu.understand('nhà tui ở xã Húc cũ, giờ chứng thực giấy tờ thì lên xã nào');
    expect(which.decision.kind).toBe('clarify');
    expect(names(which).some((n) => /^Chứng thực/.test(n ?? ''))).toBe(true);
    expect(which.place?.kind).toBe('where_to_submit');
    // A place named, something no procedure and no map answers asked.
    expect(nlu.understand('xã Húc cũ cúp nước 2 ngày nay rồi ad ơi').intent).toBe('out_of_scope');
    // A place named with its old unit in brackets is where the citizen lives, not a question which units it holds.
    expect(nlu.understand('giá đất ở phường Bắc Nha Trang (xã Vĩnh Phương cũ) nay bao nhiêu một mét').intent).toBe('out_of_scope');
  });

  it('reads what no procedure and no action answers as out of scope, unless the classifier is sure of the action', () => {
    for (const text of ['ad ơi chiều nay có cúp điện ko', 'con sốt cao cả đêm, nên uống hạ sốt loại nào ạ']) {
      expect(nlu.understand(text).intent, text).toBe('out_of_scope');
    }
    expect(nlu.understand('cho tôi gặp cán bộ tư pháp').intent).toBe('human_handoff');
  });

  it('answers, or asks which one, a procedure whose words besides the place surely ask it, though they cover little of its name', () => {
    // Little of the record's long name ("Khai lệ phí trước bạ nhà, đất/ Miễn lệ phí trước bạ ...") but one clear leader.
    const u = nlu.understand('mình mới mua nhà ở xã Vĩnh Phương cũ, giờ khai lệ phí trước bạ nhà đất thì nộp tờ khai ở đâu');
    expect(u.decision.kind === 'procedure' ? u.procedure?.code : '').toBe('1.007277');
    expect(u.place?.kind).toBe('where_to_submit');
    // Two records close: asked which one, the transfer's tax among them.
    const which = nlu.understand('bán miếng đất ở phường Đồng Sơn cũ, thuế thu nhập cá nhân khi chuyển nhượng đất phải nộp bao nhiêu');
    expect(which.decision.kind).toBe('clarify');
    expect(codes(which)).toContain('1.007674');
  });

  it('offers the commune record of a procedure published at two levels, whichever matched a little better', () => {
    // 1.013823 (province, for organisations) and 1.013949 (commune, for citizens) bear the same name.
    const u = nlu.understand('Tui có miếng đất vườn muốn lên thổ cư để cất nhà cho thằng con, làm hồ sơ ra sao dzậy?');
    expect(codes(u)).toContain('1.013949');
    expect(codes(u)).not.toContain('1.013823');
  });

  it('tells records apart by what their names say after "toàn trình" (imported or made here)', () => {
    const u = nlu.understand('Xe máy mới mua, hàng lắp ráp trong nước, có đăng ký xe online hoàn toàn trên VNeID được không?');
    expect(u.decision.kind === 'procedure' ? u.procedure?.code : codes(u)[0]).toBe('1.012575');
  });

  it('never reads "đối với" in a name as "đổi" (a re-issue is held down unless asked for)', () => {
    const u = nlu.understand('Nhà tôi là nhà cấp 4 cũ, đang tính hoặc sửa lại nâng thêm tầng, hoặc đập ra xây mới luôn. Xin phép xây dựng thì cần hồ sơ gì?');
    expect(u.decision.kind === 'procedure' ? u.procedure?.code : '').not.toBe('1.013228');
  });

  it('reads "thôi quốc tịch", a death at home and a poor household with a low income as what they ask', () => {
    expect(nlu.understand('Tôi đang ở Việt Nam, muốn thôi quốc tịch Việt Nam thì có được không?').procedure?.code).toBe('2.002036');
    expect(nlu.understand('Ông nội mới mất sáng nay tại nhà, đi làm giấy báo tử cần mang theo giấy tờ gì ạ?').procedure?.code).toBe('1.000656');
    const u = nlu.understand('nha em dong con, thu nhap thap, co duoc xet vao ho ngheo hong');
    expect(u.decision.kind === 'procedure' ? u.procedure?.code : codes(u)[0]).toBe('1.011607');
  });

  it('reads a step said done ("đã chứng thực … rồi") as the story, and Southern "khai sanh", a tenant\'s "thue nha tro"', () => {
    const gift = nlu.understand('Tôi nhận đất bố mẹ đẻ tặng cho, hợp đồng tặng cho đã chứng thực ở xã rồi. Bây giờ làm tiếp thủ tục sang tên thế nào ạ?');
    expect(gift.decision.kind === 'procedure' ? gift.procedure?.code : codes(gift)[0]).toBe('1.013831');
    const birth = nlu.understand('Bà muốn đi khai sanh cho thằng nhỏ dùm nó thì phải mần sao con?');
    expect(birth.procedure?.code ?? codes(birth)[0]).toBe('1.001193');
    const tenant = nlu.understand('toi thue nha tro o 3 nam roi, chu nha dong y cho, vay co nhap ho khau vao nha tro duoc khong');
    expect([tenant.procedure?.code, ...codes(tenant)]).toContain('1.004222');
    expect([tenant.procedure?.code, ...codes(tenant)]).not.toContain('1.007689');
  });

  it('never answers advice about a lawyer, a menu or a vaccine with the procedure it mentions', () => {
    for (const text of ['hàng xóm lấn đất, có nên kiện không luật sư ơi', 'mở quán cafe nhỏ ở quê thì bán món j cho đông khách v mn',
      'be nha em moi lam khai sinh xong, gio nen tiem vac xin gi truoc a']) {
      expect(nlu.understand(text).decision.kind, text).not.toBe('procedure');
    }
  });

  it('never answers a marriage with a foreigner with the domestic marriage record', () => {
    for (const text of ['đkkh với ng nước ngoài ở đâu', 'đăng ký kết hôn với người nước ngoài ở đâu']) {
      const u = nlu.understand(text);
      expect(u.decision.kind === 'procedure' ? u.procedure?.code : 'asked', text).not.toBe('1.000894');
      expect(codes(u), text).toContain('2.000806');
    }
  });

  it('puts the variant a message says first: a foreign party ("chồng em người Hàn") or a paper lost ("bị mất, xin lại")', () => {
    // The plain record's short name matched as well and came first; it is held down when its variant is a candidate.
    const first = (text: string) => nlu.understand(text).procedure?.name ?? '';
    expect(first('Chồng em là người Hàn Quốc, bé sinh ở Việt Nam, giờ làm khai sinh cho bé cần những gì')).toMatch(/khai sinh có yếu tố nước ngoài/);
    expect(first('giấy kết hôn bị chuột cắn mất r, giờ xin lại có đc ko ad')).toMatch(/^Thủ tục đăng ký lại kết hôn$/);
    expect(first('chung chi moi gioi bat dong san cua toi bi mat, xin cap lai the nao')).toMatch(/^Cấp lại chứng chỉ hành nghề môi giới/);
    // Neither said: the plain record stays first ("mất bao lâu" is how long, not a loss).
    expect(first('đăng ký kết hôn mất bao lâu')).toBe('Đăng ký kết hôn');
    expect(first('làm giấy khai sinh cho con cần những gì')).toMatch(/^Đăng ký khai sinh$/);
    // A record for children only is not first where no child is spoken of.
    expect(first('Thẻ bảo hiểm y tế của em bị mất, xin cấp lại ở đâu ạ?')).not.toMatch(/trẻ em/);
    expect(first('làm thẻ bảo hiểm y tế cho bé 3 tuổi ở đâu')).toMatch(/trẻ em dưới 6 tuổi/);
    // Changing what one has is not getting it the first time, nor founding it.
    expect(first('so do nha tui ghi sai ten lot cua vo, xin sua lai sao ad')).not.toMatch(/lần đầu/);
    expect(first('Giấy đăng ký hộ kinh doanh còn thiếu số điện thoại với email, bổ sung trên mạng được không?')).not.toMatch(/thành lập/);
    expect(first('làm sổ đỏ lần đầu cần giấy tờ gì')).toMatch(/lần đầu/);
  });

  it('reads a lost diploma as a copy from the register, an electric motorbike as a vehicle to register', () => {
    expect(nlu.understand('xin cấp bằng tốt nghiệp bị mất').procedure?.code).toBe('2.000908');
    expect(nlu.understand('đăng ký xe máy điện cho học sinh').intent).toBe('procedure_lookup');
    const u = nlu.understand('chứng nhận con dấu công ty');
    expect(names(u)[0] ?? '').toMatch(/con dấu/);
  });

  it('reads a diploma copy to certify as a certified copy, and a lost one as a copy from the register', () => {
    expect(nlu.understand('chứng thực bản sao bằng tốt nghiệp ở đâu nhanh nhất').procedure?.code).toBe('2.000815');
    expect(nlu.understand('xin bản sao bằng tốt nghiệp cấp 3 bị mất').procedure?.code).toBe('2.000908');
  });

  it('reads animals counted with "con" as livestock, never as adopting a child ("nuôi con nuôi")', () => {
    for (const text of ['nuôi 2000 con gà có cần giấy chứng nhận gì không', 'em muốn mở trang trại nuôi heo 500 con cần giấy tờ gì',
      'nuoi may tram con heo co phai dang ky khong']) {
      const u = nlu.understand(text);
      expect(names(u).join(' / '), text).not.toMatch(/con nuôi/);
    }
    const normalizer = new Normalizer(loadNluData().abbreviations);
    expect(normalizer.normalize('nuôi 2000 con gà').tokens).toEqual(['nuoi', 'ga']);
    // "vẫn còn" folds to "van con", and two children are children.
    expect(normalizer.normalize('van con ho khau').tokens).toEqual(['van', 'con', 'ho', 'khau']);
    expect(normalizer.normalize('tôi có 2 con nhỏ').tokens).toContain('con');
    expect(nlu.understand('xin nhận con nuôi cần giấy tờ gì').procedure?.name ?? nlu.understand('xin nhận con nuôi cần giấy tờ gì').candidates[0]?.item.name).toMatch(/con nuôi/);
  });

  it('reads a land certificate written wrong as its correction, and a torn one as its exchange', () => {
    for (const text of ['sổ đỏ bị sai tên chủ thì làm sao', 'sổ hồng in sai ngày sinh', 'so do bi ghi sai dien tich, sua lai o dau']) {
      expect(nlu.understand(text).procedure?.name, text).toMatch(/^Đính chính Giấy chứng nhận/);
    }
    expect(nlu.understand('sổ đỏ bị rách xin đổi cái mới').procedure?.name).toMatch(/^Cấp đổi Giấy chứng nhận/);
    // Issued the first time and written wrong: the correction (whose own name says "đã cấp lần đầu"), never the first issue.
    const u = nlu.understand('sổ hồng mới cấp lần đầu năm ngoái mà in sai tên chồng tôi, sửa sao ạ');
    expect(u.decision.kind === 'procedure' && !/^Đính chính/.test(u.procedure?.name ?? '')).toBe(false);
    expect(names(u).some((n) => /^Đính chính Giấy chứng nhận đã cấp lần đầu/.test(n ?? ''))).toBe(true);
  });

  it('never answers a company with a household business\'s procedure, nor the other way round', () => {
    const first = (text: string) => {
      const u = nlu.understand(text);
      return names(u)[0] ?? '';
    };
    for (const text of ['cty e tạm dừng kd nộp thông báo online trên cổng đkkd đc ko', 'Cong ty minh muon dong cua vinh vien thi lam sao']) {
      expect(first(text), text).not.toMatch(/hộ kinh doanh/);
    }
    expect(first('hộ kinh doanh của tôi muốn tạm ngừng 3 tháng thì báo ở đâu')).toMatch(/hộ kinh doanh/);
  });

  it('never answers an organisation changing its name with a person\'s civil-status correction', () => {
    for (const text of ['hợp tác xã của thôn muốn đổi tên và đổi người đại diện thì làm sao', 'cty em đổi tên thì làm thủ tục gì']) {
      const u = nlu.understand(text);
      expect(u.decision.kind === 'procedure' && u.procedure?.field === 'Hộ tịch', text).toBe(false);
    }
    expect(names(nlu.understand('đổi tên cho con gái thì làm sao'))[0]).toMatch(/hộ tịch/);
  });

  it('reads where a procedure is done since the districts went as that procedure, when no unit is named', () => {
    const u = nlu.understand('chuyển đất vườn sang đất ở giờ làm ở xã hay lên huyện, nghe nói bỏ huyện rồi');
    expect(u.intent).toBe('procedure_lookup');
    expect(codes(u)).toContain('1.013949');
    expect(u.entities.aspect).toBe('place');
  });

  it('never offers a citizen the people\'s police\'s own policy procedures, unless the message speaks of the police', () => {
    // "Cấp thẻ bảo hiểm y tế (thực hiện tại cấp tỉnh)" is the card of police officers' families (field "Chính sách").
    for (const text of ['làm thẻ bảo hiểm y tế ở đâu', 'Tôi làm mất thẻ bảo hiểm y tế, cấp lại thế nào ạ?', 'mua thẻ bhyt cho ba má ở đâu dzậy ad']) {
      const u = nlu.understand(text);
      const offered = [u.procedure, ...u.candidates.map((c) => c.item)];
      expect(offered.some((p) => p?.field === 'Chính sách'), text).toBe(false);
      expect(offered.some((p) => p?.code === '1.001939' || p?.code === '1.002759' || p?.name.includes('trẻ em dưới 6 tuổi')), text).toBe(true);
    }
    expect(nlu.understand('bố em là công an, làm thẻ bảo hiểm y tế cho thân nhân ở đâu').procedure?.field).toBe('Chính sách');
  });

  it('never answers with a procedure a message that asks what none answers (a rate, a price, advice, an opinion)', () => {
    for (const text of ['Lãi suất vay thế chấp sổ đỏ bây giờ bao nhiêu vậy ad', 'làm căn cước gắn chip có bị định vị không',
      'anh em cãi nhau chuyện chia đất, ai đúng ai sai ạ', 'làm nhà mới hướng nào hợp phong thủy ad', 'khoan giếng thợ lấy bao nhiêu tiền 1 mét',
      'mới sinh con xong nên ăn gì cho nhiều sữa']) {
      const u = nlu.understand(text);
      expect(u.decision.kind, text).not.toBe('procedure');
      expect(u.intent, text).toBe('out_of_scope');
    }
    expect(nlu.understand('thế chấp sổ đỏ vay ngân hàng thì đăng ký ở đâu').procedure?.name).toMatch(/biện pháp bảo đảm/);
  });

  it('reads what follows "để" (in order to) also as what the procedure is for, weighing less', () => {
    const normalizer = new Normalizer(loadNluData().abbreviations);
    const weighed = (text: string) => nlu.readings(normalizer.normalize(text).toks)
      .some((r) => r.some((t) => t.w !== undefined && t.w > 0 && t.w < 1));
    expect(weighed('xin xác nhận độc thân để ngân hàng duyệt vay mua nhà')).toBe(true);
    // The words before it name nothing ("cần giấy tờ gì"), or it is "để lại" (left behind): no purpose.
    expect(weighed('cần giấy tờ gì để đăng ký kết hôn')).toBe(false);
    expect(weighed('đất bố mẹ để lại sang tên thế nào')).toBe(false);
  });

  it('does not answer with a procedure the message says is done ("... xong rồi") when it asks something else', () => {
    const baby = nlu.understand('Làm giấy khai sinh cho con xong rồi, giờ bé hay quấy khóc đêm thì làm sao');
    expect(baby.decision.kind).not.toBe('procedure');
    expect(baby.candidates[0]?.item.name).not.toBe('Đăng ký khai sinh');
    expect(nlu.understand('Đăng ký kết hôn xong rồi, giờ muốn nhập khẩu cho vợ về nhà chồng thì cần gì').procedure?.name).toBe('Đăng ký thường trú');
    // Only a part of it asked after: the procedure done is still the subject.
    expect(nlu.understand('Nộp hồ sơ đăng ký kết hôn xong rồi thì bao lâu có kết quả').procedure?.name).toBe('Đăng ký kết hôn');
  });

  it('reads situations told in everyday words as the procedure they need', () => {
    const cases: Array<[string, RegExp]> = [
      ['ba má em có lô đất một sổ, muốn cắt ra làm hai sổ để bán bớt thì làm sao', /^Tách thửa/],
      ['nhà tôi phá nhà cũ xây lại 2 tầng thì xin giấy phép cần gì', /^Cấp giấy phép xây dựng nhà ở riêng lẻ/],
      ['giấy phép xây dựng sắp hết hạn mà chưa khởi công thì kéo dài giấy phép xây dựng thế nào', /^Gia hạn giấy phép xây dựng/],
      ['tiệm may của má em dẹp hẳn rồi, trả lại giấy phép kinh doanh thế nào', /^Chấm dứt hoạt động hộ kinh doanh/],
      ['em nghỉ làm rồi, muốn lãnh bảo hiểm một cục được không', /bảo hiểm xã hội một lần/],
      ['bố em đi làm xa 6 tháng có phải báo vắng với công an xã không', /tạm vắng/],
      ['nhà có khách ở lại qua đêm có phải báo công an không', /^Thông báo lưu trú/],
      ['heo nhà em bị tiêu hủy do dịch, xin hỗ trợ thế nào', /thiệt hại do dịch bệnh động vật/],
      ['bố mất không để lại di chúc, mấy anh em chia đất thì làm giấy gì ở xã', /phân chia di sản/],
      ['vay ngân hàng cầm sổ đỏ thì đăng ký ở đâu', /biện pháp bảo đảm bằng quyền sử dụng đất/],
      ['chưa cưới mà có con, giờ muốn bé mang tên ba thì làm sao', /nhận cha, mẹ, con/],
      ['sổ bảo hiểm xã hội ghi sai ngày sinh thì sửa thế nào', /sổ BHXH, thẻ BHYT/],
      ['ghe nhà tui xin giấy phép đi biển đánh bắt mất bao lâu', /khai thác thủy sản/],
      ['tui mua nhà trên thị trấn rồi, nhập khẩu vô đó được chưa', /^Đăng ký thường trú/],
      ['má tui già yếu, muốn cho tui lãnh lương hưu thay thì làm giấy gì', /^Ủy quyền lĩnh thay/],
      ['ra xã cthuc photo cccd lấy liền được không', /^Chứng thực bản sao từ bản chính/],
      ['công ty em muốn tăng vốn từ 1 tỷ lên 3 tỷ thì làm sao', /thay đổi vốn điều lệ/],
      ['hóa đơn điện tử xuất sai tên khách thì xử lý thế nào', /^Xử lý hóa đơn điện tử đã lập sai/],
      ['xưởng bị cháy, công ty xin chậm nộp thuế được không', /[Gg]ia hạn nộp thuế/],
      ['nhà cháy, cháy luôn cuốn sổ hồng, xin lại thế nào', /^Cấp lại Giấy chứng nhận do bị mất/],
      ['xã hòa giải tranh chấp đất không xong, giờ muốn chủ tịch xã giải quyết thì làm sao', /thuộc thẩm quyền của Chủ tịch/],
    ];
    for (const [text, name] of cases) {
      const u = nlu.understand(text);
      expect(names(u)[0] ?? '', text).toMatch(name);
    }
    // Typed without diacritics, "cho bo me" is "cho bố mẹ", not "chở bò": no livestock permit for parents' insurance.
    const parents = nlu.understand('mua bhyt cho bo me gia o nha thi dang ky o dau');
    expect(names(parents).join(' / ')).not.toMatch(/kiểm dịch/);
  });

  it('reads moving one\'s residence to a husband\'s home as the residence, not only the marriage the story tells', () => {
    const u = nlu.understand('Em chào cán bộ, em lấy chồng ở xã khác, giờ muốn chuyển hộ khẩu về nhà chồng thì phải làm gì ạ?');
    expect(codes(u)).toContain('1.004222');
    expect(u.decision.kind).not.toBe('procedure');
    expect(nlu.understand('lấy chồng cần giấy tờ gì').procedure?.code).toBe('1.000894');
  });

  it('reads what is asked after "muốn" / "cần" before the story told first', () => {
    // The story names a marriage, a divorce; the question a residence, a child's name.
    const home = nlu.understand('Em chào cán bộ, em lấy chồng ở xã khác, giờ muốn chuyển hộ khẩu về nhà chồng thì phải làm gì ạ?');
    expect(codes(home)[0]).toBe('1.004222');
    expect(nlu.understand('Vợ chồng tôi ly hôn rồi, con ở với tôi, giờ tôi muốn đổi họ cho con theo họ mẹ được không?').procedure?.code).toBe('1.004859');
    // "giờ" ("now") starts the question too: the contract already certified is the story.
    const transfer = nlu.understand('Tôi mua lại mảnh đất của người quen, hợp đồng đã công chứng xong xuôi, giờ sang tên sổ đỏ nộp ở đâu');
    expect(codes(transfer)[0]).toBe('1.013831');
    // Central "chừ" is "giờ".
    const central = nlu.understand('Tui lấy vợ ngoài Nghệ An, cưới xong về ở bên vợ hai năm rồi, chừ chuyển hộ khẩu về nhà vợ thì làm sao');
    expect(codes(central)[0]).toBe('1.004222');
    // "cần" before only aspect words asks nothing new: "sang tên sổ đỏ" is still the question.
    const papers = nlu.understand('Sang tên sổ đỏ cần những giấy tờ gì ạ?');
    expect(papers.entities.aspect).toBe('documents');
  });

  it('never answers whether selling online needs registering with the tax refund of online sellers', () => {
    for (const text of ['bán hàng online có phải đăng ký kinh doanh không', 'bán hàng online tại nhà có phải đk hkd ko ad']) {
      const u = nlu.understand(text);
      expect(u.decision.kind, text).toBe('clarify');
      expect(u.candidates.map((c) => c.item.code), text).toContain('1.001612');
    }
    expect(nlu.understand('đóng cửa tiệm luôn không bán nữa thì báo ai').procedure?.code).toBe('1.001266');
  });

  it('reads a CV or a job application to have confirmed as a signature to certify, not the criminal record', () => {
    for (const text of ['xác nhận đơn xin việc ở đâu', 'xác nhận sơ yếu lý lịch ở xã được không']) {
      expect(nlu.understand(text).procedure?.code, text).toBe('2.000884');
    }
    expect(nlu.understand('xin lý lịch để đi xuất khẩu lao động').procedure?.code).toBe('3.000333');
  });

  it('reads an age as a qualifier: it picks the identity card for the age, but is no identity-card question alone', () => {
    expect(nlu.understand('làm căn cước cho con 16 tuổi').procedure?.code).toBe('2.000200');
    expect(nlu.understand('làm căn cước cho bé 5 tuổi').procedure?.code).toBe('1.014062');
    // An old person's age likewise: the allowance for the elderly when asked about money, not about a card or a death.
    expect(nlu.understand('mẹ e 80t đc nhận tiền ko ạ').procedure?.name).toMatch(/người cao tuổi/);
    for (const text of ['bà 90 tuổi làm căn cước có cần đến công an không', 'ông 75 tuổi mất, khai tử ở đâu']) {
      const u = nlu.understand(text);
      expect(names(u).join(' / '), text).not.toMatch(/người cao tuổi/);
    }
    // A group of people likewise: the question is what is asked for them.
    const aid = nlu.understand('Tôi là người khuyết tật, đang bị kiện tranh chấp, có được trợ giúp pháp lý miễn phí không?');
    expect(codes(aid)[0]).toBe('2.000829');
    expect(nlu.understand('con bị khuyết tật muốn xin xác nhận mức độ').procedure?.name).toMatch(/xác nhận khuyết tật/);
    // An allowance for orphans, which the catalogue lacks, is not the guardianship its alias "giám hộ trẻ mồ côi" names.
    expect(nlu.understand('trợ cấp cho trẻ mồ côi làm ở đâu').decision.kind).not.toBe('procedure');
    expect(nlu.understand('đăng ký giám hộ cho cháu mồ côi').procedure?.code).toBe('1.004837');
    for (const text of ['con 16 tuổi đi học nghề', 'con tôi 17 tuổi phải đăng ký nghĩa vụ quân sự ở đâu', 'trẻ em bị bạo hành thì báo ở đâu',
      'bé 3 tuổi chưa có khai sinh giờ làm sao']) {
      const u = nlu.understand(text);
      expect(codes(u), text).not.toContain('2.000200');
      expect(codes(u), text).not.toContain('1.014062');
    }
  });

  it('reads a pension moved to another place as the transfer of where it is paid, not a pension paid differently', () => {
    for (const text of ['lương hưu chuyển về địa phương khác', 'bố tôi muốn chuyển nơi nhận lương hưu về quê', 'chuyen noi linh luong huu vao tinh khac']) {
      expect(nlu.understand(text).procedure?.code, text).toBe('1.001742');
    }
  });

  it('reads no phrase across a comma or a full stop ("Ba em mới mất, sổ đỏ…" has no "mất sổ đỏ")', () => {
    const u = nlu.understand('Ba em mới mất, sổ đỏ đứng tên ba, mấy anh em giờ phải làm gì trước?');
    expect(u.procedure?.name ?? '').not.toMatch(/do bị mất/);
    expect(nlu.understand('mất sổ đỏ rồi làm lại thế nào').procedure?.name).toMatch(/do bị mất/);
    // A comma or a full stop opens a clause; the dot inside "tp.hcm" or "2.000" does not.
    const { toks } = new Normalizer(loadNluData().abbreviations).normalize('Ba mất, sổ đỏ. Ở tp.hcm nhà 2.000 m2');
    expect(toks.filter((t) => t.b).map((t) => t.f)).toEqual(['so', 'o']);
  });

  it('never answers a change of a document ("đổi bằng lái"), nor one not said lost, with its re-issue', () => {
    expect(nlu.understand('đổi bằng lái xe').procedure?.code).toBe('3.000347');
    // The driving-licence change is a ministry-level record, not loaded by default (`--levels tinh,xa`, as here): the re-issue,
    // the only licence record left, was answered, sure of itself.
    const provincial = new Nlu(loadNluData(), kbWithNational((r) => isSelected(r.cap_thuc_hien, DEFAULT_LEVELS)), DEFAULT_NLU_OPTIONS);
    for (const text of ['đổi bằng lái xe', 'thi bằng lái xe máy a1', 'bằng lái bị rách']) {
      expect(provincial.understand(text).decision.kind, text).not.toBe('procedure');
    }
    // A lost licence is still its re-issue.
    expect(provincial.understand('bằng lái xe bị mất làm lại ở đâu').procedure?.code).toBe('3.000348');
  });

  it('asks which one for a bare name every word of which a record says ("đăng ký tàu cá"), not out of scope', () => {
    const u = nlu.understand('đăng ký tàu cá');
    expect(u.decision.kind).toBe('clarify');
    expect(u.intent).toBe('procedure_lookup');
    expect(u.candidates.map((c) => c.item.code)).toContain('1.003650');
    const unsure = nlu.understand('giải thể công ty');
    expect(unsure.decision).toMatchObject({ kind: 'clarify', unsure: true });
    expect(unsure.candidates[0].item.code).toBe('2.002023');
  });

  it('reads a neighbour building over the boundary as a land dispute for the commune to mediate', () => {
    for (const text of ['nhà hàng xóm xây lấn sang đất nhà tôi', 'bị lấn ranh đất làm sao']) {
      expect(nlu.understand(text).procedure?.name, text).toMatch(/tranh chấp đất đai/);
    }
  });

  it('offers, unsure, the procedures a message half-recognised as out of scope matches, and keeps it out of scope', () => {
    // Which of these land in the band depends on the catalogue's wording (at least one must).
    const texts = ['lĩnh lương hưu thay cho bố', 'nhận lương hưu qua tài khoản ngân hàng', 'xin giấy phép bán rượu ở quán',
      'mất sổ hưu trí của bố', 'mẹ em 80 tuổi có được tiền không'];
    const unsure = texts.map((t) => nlu.understand(t)).filter((u) => u.decision.kind === 'clarify' && u.decision.unsure);
    expect(unsure.length).toBeGreaterThan(0);
    for (const u of unsure) {
      expect(u.intent).toBe('out_of_scope');
      expect(u.clarify).toBe(true);
      expect(u.candidates.length).toBeGreaterThan(0);
    }
    // Nothing like a procedure: plainly out of scope.
    for (const t of ['mua xe máy cũ ở đâu rẻ', 'mua ô tô cũ ở đâu uy tín', 'giá vàng hôm nay bao nhiêu', 'quán phở nào ngon ở xã mình']) {
      expect(nlu.understand(t).decision.kind, t).toBe('out_of_scope');
    }
  });

  it('says it is unsure when a procedure question matches every option poorly (a procedure the catalogue lacks)', () => {
    // The national catalogue holds no work permit for foreigners: the options share only "nước ngoài", "lao động".
    const u = nlu.understand('xin cấp giấy phép lao động cho người nước ngoài');
    expect(u.intent).toBe('procedure_lookup');
    expect(u.decision).toMatchObject({ kind: 'clarify', unsure: true });
    // A question that names a family of procedures well is asked plainly.
    const family = nlu.understand('đăng ký kết hôn với người nước ngoài cần giấy tờ gì');
    expect(family.decision.kind).toBe('clarify');
    expect(family.decision.kind === 'clarify' && family.decision.unsure).toBeFalsy();
  });

  it('asks which procedure for a question that names none, and applies a follow-up to the last one', () => {
    expect(nlu.understand('cần giấy tờ gì').decision.kind).toBe('ask_procedure');
    const khaiSinh = nlu.understand('làm giấy khai sinh cho con').procedure!;
    const follow = nlu.understand('còn lệ phí bao nhiêu', { procedure: khaiSinh });
    expect(follow.decision).toMatchObject({ kind: 'procedure', via: 'context' });
    expect(follow.entities.aspect).toBe('fee');
    // Thanks around the follow-up is courtesy: the question is still answered, and bare thanks are still thanks.
    for (const [text, aspect] of [['dạ em cảm ơn, vậy nộp ở đâu ạ', 'place'], ['cảm ơn, cho hỏi thêm lệ phí bao nhiêu', 'fee']]) {
      const u = nlu.understand(text, { procedure: khaiSinh });
      expect(u.decision, text).toMatchObject({ kind: 'procedure', via: 'context' });
      expect(u.entities.aspect, text).toBe(aspect);
    }
    expect(nlu.understand('dạ em cảm ơn ad nhiều', { procedure: khaiSinh }).intent).toBe('goodbye_thanks');
  });

  it('keeps question words and diacritics out of the evidence ("tử" is not "tự", "báo" is not "bao")', () => {
    expect(nlu.understand('đăng ký khai tử cần gì').procedure?.code).toBe('1.000656');
    const u = nlu.understand('cần giấy tờ gì mất bao lâu');
    expect(u.decision.kind).not.toBe('procedure');
    // "sao" asks how, unless beside what makes it a copy ("bản sao", "sao y", "cấp sao bản án").
    const how = nlu.understand('tôi không có smartphone thì nộp online sao');
    expect(how.decision.kind === 'clarify' ? how.decision.options.map((o) => o.name) : []).not.toContainEqual(expect.stringMatching(/sao/i));
    expect(nlu.understand('xin bản sao giấy khai sinh').procedure?.code).toBe('2.000635');
    expect(nlu.understand('sao y cccd ở đâu').procedure?.code).toBe('2.000815');
  });
});
