/**
 * The classical incompatibilities: 十八反 (eighteen incompatible herbs) and 十九畏 (nineteen
 * antagonisms), expressed over herb groups. A group lists every crude-drug name (herbName) that the
 * classical name covers — 乌头 is 川乌, 草乌 and 附子, raw or processed — so a rule fires whatever
 * product or form was written. Group membership follows the Chinese Pharmacopoeia 2020 "不宜与…同用"
 * notes; see services/orders/CATALOGUE.md for the reasoning behind each group.
 */

export interface HerbGroup {
  /** The classical name the rhymes use (乌头, 贝母). */
  zh: string;
  en: string;
  /** Crude-drug names (CatalogueMedicine.herbName) in the group; several are not stocked. */
  members: readonly string[];
}

const group = (zh: string, en: string, members: readonly string[]): HerbGroup => ({ zh, en, members });

export const HERB_GROUPS = {
  GAN_CAO: group('甘草', 'Liquorice', ['甘草', '炙甘草']),
  GAN_SUI: group('甘遂', 'Gansui', ['甘遂', '醋甘遂']),
  DA_JI: group('大戟', 'Euphorbia (Da Ji)', ['京大戟', '醋京大戟', '红大戟', '大戟']),
  HAI_ZAO: group('海藻', 'Sargassum seaweed', ['海藻']),
  YUAN_HUA: group('芫花', 'Genkwa', ['芫花', '醋芫花']),
  WU_TOU: group('乌头', 'Aconite (Wu Tou)', [
    '川乌',
    '制川乌',
    '草乌',
    '制草乌',
    '附子',
    '生附子',
    '盐附子',
    '黑顺片',
    '白附片',
    '淡附片',
    '炮附片',
  ]),
  BEI_MU: group('贝母', 'Fritillaria', ['川贝母', '浙贝母', '平贝母', '伊贝母', '湖北贝母']),
  GUA_LOU: group('瓜蒌', 'Trichosanthes', ['瓜蒌', '瓜蒌皮', '瓜蒌子', '炒瓜蒌子', '天花粉']),
  BAN_XIA: group('半夏', 'Pinellia', ['半夏', '生半夏', '法半夏', '姜半夏', '清半夏']),
  BAI_LIAN: group('白蔹', 'Ampelopsis', ['白蔹']),
  BAI_JI: group('白及', 'Bletilla', ['白及']),
  LI_LU: group('藜芦', 'Veratrum', ['藜芦']),
  // "诸参": every 参 whose ChP monograph says 不宜与藜芦同用.
  REN_SHEN_LI_LU: group('人参', 'Ginseng (and Codonopsis)', ['人参', '红参', '西洋参', '党参']),
  SHA_SHEN: group('沙参', 'Glehnia / Adenophora', ['北沙参', '南沙参']),
  DAN_SHEN: group('丹参', 'Salvia', ['丹参']),
  XUAN_SHEN: group('玄参', 'Scrophularia', ['玄参']),
  KU_SHEN: group('苦参', 'Sophora root', ['苦参']),
  XI_XIN: group('细辛', 'Asarum', ['细辛']),
  SHAO_YAO: group('芍药', 'Peony', ['白芍', '赤芍']),
  LIU_HUANG: group('硫黄', 'Sulfur', ['硫黄']),
  // 朴硝 and 牙硝 are grades of the same sodium sulfate; ChP gives 芒硝 and 玄明粉 both notes.
  PO_XIAO: group('朴硝', 'Sodium sulfate (Mirabilite)', ['朴硝', '芒硝', '玄明粉', '牙硝']),
  SHUI_YIN: group('水银', 'Mercury', ['水银']),
  PI_SHUANG: group('砒霜', 'Arsenic trioxide', ['砒霜', '砒石', '信石']),
  LANG_DU: group('狼毒', 'Stellera / Euphorbia (Lang Du)', ['狼毒']),
  MI_TUO_SENG: group('密陀僧', 'Litharge', ['密陀僧']),
  BA_DOU: group('巴豆', 'Croton seed', ['巴豆', '巴豆霜']),
  QIAN_NIU: group('牵牛', 'Morning glory seed', ['牵牛子', '黑丑', '白丑']),
  DING_XIANG: group('丁香', 'Clove', ['丁香', '母丁香']),
  YU_JIN: group('郁金', 'Curcuma root tuber', ['郁金']),
  CHUAN_CAO_WU: group('川乌草乌', 'Aconite main root (Chuan Wu / Cao Wu)', [
    '川乌',
    '制川乌',
    '草乌',
    '制草乌',
  ]),
  XI_JIAO: group('犀角', 'Rhinoceros horn', ['犀角']),
  SAN_LENG: group('三棱', 'Sparganium', ['三棱']),
  GUAN_GUI: group('官桂', 'Cinnamon bark', ['肉桂', '官桂']),
  CHI_SHI_ZHI: group('赤石脂', 'Red halloysite', ['赤石脂']),
  REN_SHEN_WU_LING_ZHI: group('人参', 'Ginseng', ['人参', '红参']),
  WU_LING_ZHI: group('五灵脂', 'Trogopterus dung', ['五灵脂']),
} as const satisfies Record<string, HerbGroup>;

export type IncompatibilityKind = 'EIGHTEEN_INCOMPATIBLE' | 'NINETEEN_ANTAGONISM';

export interface IncompatibilityRule {
  kind: IncompatibilityKind;
  /** The rhyme's wording: 甘草反海藻, 丁香畏郁金. */
  label: string;
  a: HerbGroup;
  b: HerbGroup;
}

const G = HERB_GROUPS;
const fan = (a: HerbGroup, b: HerbGroup): IncompatibilityRule => ({
  kind: 'EIGHTEEN_INCOMPATIBLE',
  label: `${a.zh}反${b.zh}`,
  a,
  b,
});
const wei = (a: HerbGroup, b: HerbGroup): IncompatibilityRule => ({
  kind: 'NINETEEN_ANTAGONISM',
  label: `${a.zh}畏${b.zh}`,
  a,
  b,
});

/** 十八反: 甘草反甘遂、大戟、海藻、芫花；乌头反贝母、瓜蒌、半夏、白蔹、白及；藜芦反人参、沙参、丹参、玄参、苦参、细辛、芍药. */
export const EIGHTEEN_INCOMPATIBLE: readonly IncompatibilityRule[] = [
  fan(G.GAN_CAO, G.GAN_SUI),
  fan(G.GAN_CAO, G.DA_JI),
  fan(G.GAN_CAO, G.HAI_ZAO),
  fan(G.GAN_CAO, G.YUAN_HUA),
  fan(G.WU_TOU, G.BEI_MU),
  fan(G.WU_TOU, G.GUA_LOU),
  fan(G.WU_TOU, G.BAN_XIA),
  fan(G.WU_TOU, G.BAI_LIAN),
  fan(G.WU_TOU, G.BAI_JI),
  fan(G.LI_LU, G.REN_SHEN_LI_LU),
  fan(G.LI_LU, G.SHA_SHEN),
  fan(G.LI_LU, G.DAN_SHEN),
  fan(G.LI_LU, G.XUAN_SHEN),
  fan(G.LI_LU, G.KU_SHEN),
  fan(G.LI_LU, G.XI_XIN),
  fan(G.LI_LU, G.SHAO_YAO),
];

/** 十九畏: 硫黄畏朴硝，水银畏砒霜，狼毒畏密陀僧，巴豆畏牵牛，丁香畏郁金，川乌草乌畏犀角，牙硝畏三棱，官桂畏赤石脂，人参畏五灵脂. */
export const NINETEEN_ANTAGONISM: readonly IncompatibilityRule[] = [
  wei(G.LIU_HUANG, G.PO_XIAO),
  wei(G.SHUI_YIN, G.PI_SHUANG),
  wei(G.LANG_DU, G.MI_TUO_SENG),
  wei(G.BA_DOU, G.QIAN_NIU),
  wei(G.DING_XIANG, G.YU_JIN),
  wei(G.CHUAN_CAO_WU, G.XI_JIAO),
  { ...wei(G.PO_XIAO, G.SAN_LENG), label: '牙硝畏三棱' },
  wei(G.GUAN_GUI, G.CHI_SHI_ZHI),
  wei(G.REN_SHEN_WU_LING_ZHI, G.WU_LING_ZHI),
];

export const INCOMPATIBILITY_RULES: readonly IncompatibilityRule[] = [
  ...EIGHTEEN_INCOMPATIBLE,
  ...NINETEEN_ANTAGONISM,
];
