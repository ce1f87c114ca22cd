/**
 * Generates services/orders/data/medicines.json, the seed catalogue of the orders service.
 *
 *   npx node services/orders/data/generate-medicines.js          writes medicines.json
 *   npx node services/orders/data/generate-medicines.js --check  exits 1 if the file is stale
 *
 * The table below is the source of truth; the JSON is committed so the service and its seed never
 * run this script. Where each fact comes from, and the rules used to decide the flags, is in
 * services/orders/CATALOGUE.md. Keep the two in step.
 */
const fs = require('fs');
const path = require('path');

const OUT = path.join(__dirname, 'medicines.json');

// One notional concentrated-granule supplier: 1 g of granules = 5 g of raw herb (the common
// Taiwan/China 5:1 standard). Clinics replace this with their supplier's label ratio.
const GRANULE_RATIO = 5;
// Granules are priced from the raw price of the same herb: a gram of granules replaces five grams of
// raw herb but costs the extraction, so 0.8 × the raw-equivalent price, never below 30 c/g.
const granulePrice = (rawCents) => Math.max(30, Math.round(rawCents * GRANULE_RATIO * 0.8));

const RESTRICTION_REASONS = {
  EPHEDRA:
    'Ephedra contains ephedrine and pseudoephedrine, controlled drugs under the Misuse of Drugs Act 1975; Ephedra material is not supplied.',
  ARISTOLOCHIA:
    'Contains aristolochic acids (nephrotoxic, carcinogenic); Aristolochia products are withdrawn and prohibited in New Zealand.',
  ASARUM:
    'Asarum may contain aristolochic acids; without a certificate showing none it is not supplied (Australia prohibits AA-containing Asarum).',
  ACONITE:
    'Aconitum (aconitine alkaloids) is a prescription medicine in New Zealand, raw or processed; not supplied on a TCM prescription.',
  STRYCHNOS:
    'Nux vomica contains strychnine and brucine, prescription-only poisons; severely toxic (ChP 大毒).',
  MERCURY: 'Mercury sulfide (cinnabar): heavy-metal toxicity; mercury-containing medicines are not supplied.',
  ARSENIC: 'Arsenic sulfide (realgar): heavy-metal toxicity; arsenic-containing medicines are not supplied.',
  TOAD_VENOM: 'Toad venom contains cardioactive bufadienolides; fatal poisonings reported; not supplied.',
  OPIUM_POPPY: 'Poppy capsule contains opium alkaloids, controlled drugs under the Misuse of Drugs Act 1975.',
  CANNABIS:
    'Viable cannabis seed is a controlled drug; only hulled, non-viable hemp seed sold as food is lawful. Unflag only for such stock.',
  VERATRUM:
    'Veratrum alkaloids cause severe bradycardia and hypotension; not a current pharmacopoeial herb; not supplied.',
  CROTON: 'Croton seed is severely toxic (ChP 大毒) and a violent purgative; not supplied.',
};

const CATEGORIES = [
  'Release Exterior (Warm-Acrid)',
  'Release Exterior (Cool-Acrid)',
  'Clear Heat and Drain Fire',
  'Clear Heat and Dry Dampness',
  'Clear Heat and Resolve Toxicity',
  'Clear Heat and Cool Blood',
  'Clear Deficiency Heat',
  'Downward Draining',
  'Dispel Wind-Dampness',
  'Aromatic Transform Dampness',
  'Drain Dampness',
  'Warm the Interior',
  'Regulate Qi',
  'Relieve Food Stagnation',
  'Expel Parasites',
  'Stop Bleeding',
  'Invigorate Blood',
  'Transform Phlegm',
  'Stop Cough and Calm Wheezing',
  'Calm the Spirit',
  'Calm the Liver and Extinguish Wind',
  'Open the Orifices',
  'Tonify Qi',
  'Tonify Yang',
  'Tonify Blood',
  'Tonify Yin',
  'Astringe and Stabilise',
  'Induce Vomiting',
  'External Use',
];

const PREGNANCY = { c: 'caution', x: 'contraindicated' };
const TOXICITY = { 1: 'mild', 2: 'toxic', 3: 'severe' };

/**
 * h(name, pinyin, english, latin, [min, max] g/day, raw price c/g, options)
 * options: p = pregnancy ('c' caution 慎用 | 'x' contraindicated 禁用); t = toxicity (1 小毒, 2 有毒,
 * 3 大毒); nz = restriction reason key; d = decoction (先煎 后下 包煎 另煎 烊化 冲服);
 * s = 'tb' when the dose is from the 中药学 textbook (no ChP 2020 monograph); k = SKU key override.
 */
const h = (name, pinyin, englishName, latinName, dose, price, o = {}) => ({
  name,
  pinyin,
  englishName,
  latinName,
  dose,
  price,
  o,
});

const TABLE = {
  'Release Exterior (Warm-Acrid)': [
    h('麻黄', 'má huáng', 'Ephedra Herb', 'Ephedrae Herba', [2, 10], 10, { nz: 'EPHEDRA' }),
    h('桂枝', 'guì zhī', 'Cassia Twig', 'Cinnamomi Ramulus', [3, 10], 8, { p: 'c' }),
    h('紫苏叶', 'zǐ sū yè', 'Perilla Leaf', 'Perillae Folium', [5, 10], 8),
    h('紫苏梗', 'zǐ sū gěng', 'Perilla Stem', 'Perillae Caulis', [5, 10], 7),
    h('生姜', 'shēng jiāng', 'Fresh Ginger Rhizome', 'Zingiberis Rhizoma Recens', [3, 10], 5),
    h('荆芥', 'jīng jiè', 'Schizonepeta Herb', 'Schizonepetae Herba', [5, 10], 8),
    h('防风', 'fáng fēng', 'Saposhnikovia Root', 'Saposhnikoviae Radix', [5, 10], 18),
    h('羌活', 'qiāng huó', 'Notopterygium Rhizome and Root', 'Notopterygii Rhizoma et Radix', [3, 10], 22),
    h('白芷', 'bái zhǐ', 'Dahurian Angelica Root', 'Angelicae Dahuricae Radix', [3, 10], 9),
    h('细辛', 'xì xīn', 'Asarum Root and Rhizome', 'Asari Radix et Rhizoma', [1, 3], 20, {
      t: 1,
      nz: 'ASARUM',
    }),
    h('藁本', 'gǎo běn', 'Chinese Lovage Rhizome', 'Ligustici Rhizoma et Radix', [3, 10], 15),
    h('苍耳子', 'cāng ěr zǐ', 'Xanthium Fruit', 'Xanthii Fructus', [3, 10], 7, { t: 2 }),
    h('辛夷', 'xīn yí', 'Magnolia Flower Bud', 'Magnoliae Flos', [3, 10], 20, { d: '包煎' }),
    h('香薷', 'xiāng rú', 'Mosla Herb', 'Moslae Herba', [3, 10], 8),
  ],
  'Release Exterior (Cool-Acrid)': [
    h('薄荷', 'bò he', 'Field Mint Herb', 'Menthae Haplocalycis Herba', [3, 6], 8, { d: '后下' }),
    h('牛蒡子', 'niú bàng zǐ', 'Great Burdock Fruit', 'Arctii Fructus', [6, 12], 8),
    h('蝉蜕', 'chán tuì', 'Cicada Slough', 'Cicadae Periostracum', [3, 6], 35),
    h('桑叶', 'sāng yè', 'Mulberry Leaf', 'Mori Folium', [5, 10], 6),
    h('菊花', 'jú huā', 'Chrysanthemum Flower', 'Chrysanthemi Flos', [5, 10], 15),
    h('蔓荆子', 'màn jīng zǐ', 'Shrub Chastetree Fruit', 'Viticis Fructus', [5, 10], 10),
    h('柴胡', 'chái hú', 'Bupleurum Root', 'Bupleuri Radix', [3, 10], 25),
    h('升麻', 'shēng má', 'Bugbane Rhizome', 'Cimicifugae Rhizoma', [3, 10], 15),
    h('葛根', 'gé gēn', 'Kudzu Root', 'Puerariae Lobatae Radix', [10, 15], 6),
    h('淡豆豉', 'dàn dòu chǐ', 'Prepared Soybean', 'Sojae Semen Praeparatum', [6, 12], 8),
    h('浮萍', 'fú píng', 'Common Ducksmeat Herb', 'Spirodelae Herba', [3, 9], 6),
    h('木贼', 'mù zéi', 'Scouring Rush Herb', 'Equiseti Hiemalis Herba', [3, 9], 5),
  ],
  'Clear Heat and Drain Fire': [
    h('石膏', 'shí gāo', 'Gypsum', 'Gypsum Fibrosum', [15, 60], 3, { d: '先煎' }),
    h('知母', 'zhī mǔ', 'Anemarrhena Rhizome', 'Anemarrhenae Rhizoma', [6, 12], 12),
    h('芦根', 'lú gēn', 'Reed Rhizome', 'Phragmitis Rhizoma', [15, 30], 5),
    h('天花粉', 'tiān huā fěn', 'Trichosanthes Root', 'Trichosanthis Radix', [10, 15], 9, { p: 'c' }),
    h('淡竹叶', 'dàn zhú yè', 'Lophatherum Herb', 'Lophatheri Herba', [6, 10], 6),
    h('栀子', 'zhī zǐ', 'Cape Jasmine Fruit', 'Gardeniae Fructus', [6, 10], 10),
    h('夏枯草', 'xià kū cǎo', 'Common Selfheal Fruit-spike', 'Prunellae Spica', [9, 15], 8),
    h('决明子', 'jué míng zǐ', 'Cassia Seed', 'Cassiae Semen', [9, 15], 5),
    h('谷精草', 'gǔ jīng cǎo', 'Pipewort Flower', 'Eriocauli Flos', [5, 10], 10),
    h('密蒙花', 'mì méng huā', 'Pale Butterflybush Flower', 'Buddlejae Flos', [3, 9], 12),
  ],
  'Clear Heat and Dry Dampness': [
    h('黄芩', 'huáng qín', 'Baical Skullcap Root', 'Scutellariae Radix', [3, 10], 14),
    h('黄连', 'huáng lián', 'Coptis Rhizome', 'Coptidis Rhizoma', [2, 5], 45),
    h('黄柏', 'huáng bò', 'Chinese Cork-tree Bark', 'Phellodendri Chinensis Cortex', [3, 12], 12),
    h('龙胆', 'lóng dǎn', 'Chinese Gentian Root', 'Gentianae Radix et Rhizoma', [3, 6], 20),
    h('苦参', 'kǔ shēn', 'Lightyellow Sophora Root', 'Sophorae Flavescentis Radix', [4.5, 9], 8),
    h('秦皮', 'qín pí', 'Ash Bark', 'Fraxini Cortex', [6, 12], 8),
    h('白鲜皮', 'bái xiān pí', 'Densefruit Pittany Root Bark', 'Dictamni Cortex', [5, 10], 15),
  ],
  'Clear Heat and Resolve Toxicity': [
    h('金银花', 'jīn yín huā', 'Honeysuckle Flower', 'Lonicerae Japonicae Flos', [6, 15], 25),
    h('忍冬藤', 'rěn dōng téng', 'Honeysuckle Stem', 'Lonicerae Japonicae Caulis', [9, 30], 6),
    h('连翘', 'lián qiào', 'Forsythia Fruit', 'Forsythiae Fructus', [6, 15], 14),
    h('蒲公英', 'pú gōng yīng', 'Dandelion', 'Taraxaci Herba', [10, 15], 6),
    h('紫花地丁', 'zǐ huā dì dīng', 'Tokyo Violet Herb', 'Violae Herba', [15, 30], 6),
    h('野菊花', 'yě jú huā', 'Wild Chrysanthemum Flower', 'Chrysanthemi Indici Flos', [9, 15], 15),
    h('板蓝根', 'bǎn lán gēn', 'Isatis Root', 'Isatidis Radix', [9, 15], 7),
    h('大青叶', 'dà qīng yè', 'Isatis Leaf', 'Isatidis Folium', [9, 15], 6),
    h('青黛', 'qīng dài', 'Natural Indigo', 'Indigo Naturalis', [1, 3], 30),
    h('鱼腥草', 'yú xīng cǎo', 'Heartleaf Houttuynia Herb', 'Houttuyniae Herba', [15, 25], 6),
    h('穿心莲', 'chuān xīn lián', 'Andrographis Herb', 'Andrographis Herba', [6, 9], 8),
    h('射干', 'shè gān', 'Blackberry Lily Rhizome', 'Belamcandae Rhizoma', [3, 10], 15),
    h(
      '山豆根',
      'shān dòu gēn',
      'Vietnamese Sophora Root',
      'Sophorae Tonkinensis Radix et Rhizoma',
      [3, 6],
      20,
      {
        t: 2,
      },
    ),
    h('马勃', 'mǎ bó', 'Puffball', 'Lasiosphaera seu Calvatia', [2, 6], 20),
    h('木蝴蝶', 'mù hú dié', 'Indian Trumpet Flower Seed', 'Oroxyli Semen', [1, 3], 20),
    h('白头翁', 'bái tóu wēng', 'Chinese Pulsatilla Root', 'Pulsatillae Radix', [9, 15], 12),
    h('马齿苋', 'mǎ chǐ xiàn', 'Purslane Herb', 'Portulacae Herba', [9, 15], 5),
    h('土茯苓', 'tǔ fú líng', 'Glabrous Greenbrier Rhizome', 'Smilacis Glabrae Rhizoma', [15, 60], 6),
    h('半枝莲', 'bàn zhī lián', 'Barbed Skullcap Herb', 'Scutellariae Barbatae Herba', [15, 30], 7),
    h('重楼', 'chóng lóu', 'Paris Rhizome', 'Paridis Rhizoma', [3, 9], 80, { t: 1 }),
    h('漏芦', 'lòu lú', 'Uniflower Swisscentaury Root', 'Rhapontici Radix', [5, 9], 12, { p: 'c' }),
    h('白蔹', 'bái liǎn', 'Japanese Ampelopsis Root', 'Ampelopsis Radix', [5, 10], 12),
    h('大血藤', 'dà xuè téng', 'Sargentgloryvine Stem', 'Sargentodoxae Caulis', [9, 15], 6),
  ],
  'Clear Heat and Cool Blood': [
    h('生地黄', 'shēng dì huáng', 'Unprocessed Rehmannia Root', 'Rehmanniae Radix', [10, 15], 7),
    h('玄参', 'xuán shēn', 'Figwort Root', 'Scrophulariae Radix', [9, 15], 8),
    h('牡丹皮', 'mǔ dān pí', 'Tree Peony Root Bark', 'Moutan Cortex', [6, 12], 14, { p: 'c' }),
    h('赤芍', 'chì sháo', 'Red Peony Root', 'Paeoniae Radix Rubra', [6, 12], 12),
    h('紫草', 'zǐ cǎo', 'Arnebia Root', 'Arnebiae Radix', [5, 10], 30),
    h('水牛角', 'shuǐ niú jiǎo', 'Water Buffalo Horn', 'Bubali Cornu', [15, 30], 10, { d: '先煎' }),
  ],
  'Clear Deficiency Heat': [
    h('青蒿', 'qīng hāo', 'Sweet Wormwood Herb', 'Artemisiae Annuae Herba', [6, 12], 6, { d: '后下' }),
    h('地骨皮', 'dì gǔ pí', 'Chinese Wolfberry Root Bark', 'Lycii Cortex', [9, 15], 12),
    h('白薇', 'bái wēi', 'Blackened Swallowwort Root', 'Cynanchi Atrati Radix et Rhizoma', [5, 10], 15),
    h('银柴胡', 'yín chái hú', 'Starwort Root', 'Stellariae Radix', [3, 10], 15),
    h('胡黄连', 'hú huáng lián', 'Picrorhiza Rhizome', 'Picrorhizae Rhizoma', [3, 10], 30),
  ],
  'Downward Draining': [
    h('大黄', 'dà huáng', 'Rhubarb Root and Rhizome', 'Rhei Radix et Rhizoma', [3, 15], 8, { p: 'c' }),
    h('芒硝', 'máng xiāo', 'Sodium Sulfate (Mirabilite)', 'Natrii Sulfas', [6, 12], 4, { p: 'c', d: '冲服' }),
    h('玄明粉', 'xuán míng fěn', 'Exsiccated Sodium Sulfate', 'Natrii Sulfas Exsiccatus', [3, 9], 6, {
      p: 'c',
      d: '冲服',
    }),
    h('番泻叶', 'fān xiè yè', 'Senna Leaf', 'Sennae Folium', [2, 6], 6, { p: 'c', d: '后下' }),
    h('芦荟', 'lú huì', 'Aloe', 'Aloe', [2, 5], 12, { p: 'c' }),
    h('火麻仁', 'huǒ má rén', 'Hemp Seed', 'Cannabis Fructus', [10, 15], 8, { nz: 'CANNABIS' }),
    h('郁李仁', 'yù lǐ rén', 'Chinese Dwarf Cherry Seed', 'Pruni Semen', [6, 10], 20, { p: 'c' }),
    h('甘遂', 'gān suí', 'Gansui Root', 'Kansui Radix', [0.5, 1.5], 30, { p: 'x', t: 2 }),
    h('京大戟', 'jīng dà jǐ', 'Peking Euphorbia Root', 'Euphorbiae Pekinensis Radix', [1.5, 3], 15, {
      p: 'x',
      t: 2,
    }),
    h('芫花', 'yuán huā', 'Lilac Daphne Flower Bud', 'Genkwa Flos', [1.5, 3], 20, { p: 'x', t: 2 }),
    h('牵牛子', 'qiān niú zǐ', 'Morning Glory Seed', 'Pharbitidis Semen', [3, 6], 8, { p: 'x', t: 2 }),
    h('巴豆霜', 'bā dòu shuāng', 'Defatted Croton Seed Powder', 'Crotonis Semen Pulveratum', [0.1, 0.3], 40, {
      p: 'x',
      t: 3,
      nz: 'CROTON',
    }),
  ],
  'Dispel Wind-Dampness': [
    h('独活', 'dú huó', 'Doubleteeth Pubescent Angelica Root', 'Angelicae Pubescentis Radix', [3, 10], 12),
    h('威灵仙', 'wēi líng xiān', 'Chinese Clematis Root', 'Clematidis Radix et Rhizoma', [6, 10], 12),
    // Raw aconite roots are not for internal use (ChP: 一般炮制后用); the dose shown is the processed one.
    h('川乌', 'chuān wū', 'Common Monkshood Mother Root (raw)', 'Aconiti Radix', [1.5, 3], 20, {
      p: 'x',
      t: 3,
      nz: 'ACONITE',
      d: '先煎',
    }),
    h(
      '制川乌',
      'zhì chuān wū',
      'Prepared Common Monkshood Mother Root',
      'Aconiti Radix Cocta',
      [1.5, 3],
      22,
      {
        p: 'x',
        t: 2,
        nz: 'ACONITE',
        d: '先煎',
      },
    ),
    h('草乌', 'cǎo wū', 'Kusnezoff Monkshood Root (raw)', 'Aconiti Kusnezoffii Radix', [1.5, 3], 20, {
      p: 'x',
      t: 3,
      nz: 'ACONITE',
      d: '先煎',
    }),
    h(
      '制草乌',
      'zhì cǎo wū',
      'Prepared Kusnezoff Monkshood Root',
      'Aconiti Kusnezoffii Radix Cocta',
      [1.5, 3],
      22,
      { p: 'x', t: 2, nz: 'ACONITE', d: '先煎' },
    ),
    h('秦艽', 'qín jiāo', 'Largeleaf Gentian Root', 'Gentianae Macrophyllae Radix', [3, 10], 25),
    h('防己', 'fáng jǐ', 'Fourstamen Stephania Root', 'Stephaniae Tetrandrae Radix', [5, 10], 12),
    h(
      '广防己',
      'guǎng fáng jǐ',
      'Southern Fangchi Root (Aristolochia)',
      'Aristolochiae Fangchi Radix',
      [4.5, 9],
      12,
      {
        p: 'x',
        t: 2,
        nz: 'ARISTOLOCHIA',
        s: 'tb',
      },
    ),
    h('桑枝', 'sāng zhī', 'Mulberry Twig', 'Mori Ramulus', [9, 15], 5),
    h('豨莶草', 'xī xiān cǎo', 'Siegesbeckia Herb', 'Siegesbeckiae Herba', [9, 12], 6),
    h('络石藤', 'luò shí téng', 'Chinese Starjasmine Stem', 'Trachelospermi Caulis et Folium', [6, 12], 7),
    h('桑寄生', 'sāng jì shēng', 'Chinese Taxillus Herb', 'Taxilli Herba', [9, 15], 8),
    h('五加皮', 'wǔ jiā pí', 'Slenderstyle Acanthopanax Root Bark', 'Acanthopanacis Cortex', [5, 10], 12),
    h('狗脊', 'gǒu jǐ', 'Cibot Rhizome', 'Cibotii Rhizoma', [6, 12], 8),
    h('木瓜', 'mù guā', 'Common Floweringquince Fruit', 'Chaenomelis Fructus', [6, 9], 8),
    h('海风藤', 'hǎi fēng téng', 'Kadsura Pepper Stem', 'Piperis Kadsurae Caulis', [6, 12], 8),
    h('伸筋草', 'shēn jīn cǎo', 'Common Clubmoss Herb', 'Lycopodii Herba', [3, 12], 7),
    h('千年健', 'qiān nián jiàn', 'Obscured Homalomena Rhizome', 'Homalomenae Rhizoma', [5, 10], 10),
    h(
      '徐长卿',
      'xú cháng qīng',
      'Paniculate Swallowwort Root',
      'Cynanchi Paniculati Radix et Rhizoma',
      [3, 12],
      15,
      {
        d: '后下',
      },
    ),
    h('青风藤', 'qīng fēng téng', 'Orientvine Stem', 'Sinomenii Caulis', [6, 12], 8),
    h('路路通', 'lù lù tōng', 'Beautiful Sweetgum Fruit', 'Liquidambaris Fructus', [5, 10], 6),
    h('穿山龙', 'chuān shān lóng', 'Japanese Yam Rhizome', 'Dioscoreae Nipponicae Rhizoma', [9, 15], 8),
    h('丝瓜络', 'sī guā luò', 'Luffa Vegetable Sponge', 'Luffae Fructus Retinervus', [5, 12], 8),
  ],
  'Aromatic Transform Dampness': [
    h('广藿香', 'guǎng huò xiāng', 'Patchouli Herb', 'Pogostemonis Herba', [3, 10], 8),
    h('佩兰', 'pèi lán', 'Fortune Eupatorium Herb', 'Eupatorii Herba', [3, 10], 8),
    h('苍术', 'cāng zhú', 'Atractylodes Rhizome', 'Atractylodis Rhizoma', [3, 9], 14),
    h('厚朴', 'hòu pò', 'Magnolia Bark', 'Magnoliae Officinalis Cortex', [3, 10], 12),
    h('砂仁', 'shā rén', 'Villous Amomum Fruit', 'Amomi Fructus', [3, 6], 45, { d: '后下' }),
    h('豆蔻', 'dòu kòu', 'Round Cardamom Fruit', 'Amomi Fructus Rotundus', [3, 6], 40, { d: '后下' }),
    h('草豆蔻', 'cǎo dòu kòu', 'Katsumada Galangal Seed', 'Alpiniae Katsumadai Semen', [3, 6], 20),
    h('草果', 'cǎo guǒ', 'Tsaoko Amomum Fruit', 'Tsaoko Fructus', [3, 6], 15),
  ],
  'Drain Dampness': [
    h('茯苓', 'fú líng', 'Poria', 'Poria', [10, 15], 10),
    h('茯苓皮', 'fú líng pí', 'Poria Peel', 'Poriae Cutis', [15, 30], 8),
    h('猪苓', 'zhū líng', 'Polyporus', 'Polyporus', [6, 12], 40),
    h('泽泻', 'zé xiè', 'Water Plantain Rhizome', 'Alismatis Rhizoma', [6, 10], 8),
    h('薏苡仁', 'yì yǐ rén', 'Coix Seed', 'Coicis Semen', [9, 30], 6, { p: 'c' }),
    h('车前子', 'chē qián zǐ', 'Plantain Seed', 'Plantaginis Semen', [9, 15], 6, { d: '包煎' }),
    h('车前草', 'chē qián cǎo', 'Plantain Herb', 'Plantaginis Herba', [9, 30], 5),
    h('滑石', 'huá shí', 'Talc', 'Talcum', [10, 20], 3, { d: '先煎' }),
    h('通草', 'tōng cǎo', 'Ricepaperplant Pith', 'Tetrapanacis Medulla', [3, 5], 30, { p: 'c' }),
    h('木通', 'mù tōng', 'Akebia Stem', 'Akebiae Caulis', [3, 6], 10, { p: 'c' }),
    h(
      '关木通',
      'guān mù tōng',
      'Manchurian Dutchmanspipe Stem',
      'Aristolochiae Manshuriensis Caulis',
      [3, 6],
      10,
      {
        p: 'x',
        t: 2,
        nz: 'ARISTOLOCHIA',
        s: 'tb',
      },
    ),
    h('瞿麦', 'qú mài', 'Lilac Pink Herb', 'Dianthi Herba', [9, 15], 6, { p: 'c' }),
    h('萹蓄', 'biǎn xù', 'Common Knotgrass Herb', 'Polygoni Avicularis Herba', [9, 15], 5),
    h('地肤子', 'dì fū zǐ', 'Belvedere Fruit', 'Kochiae Fructus', [9, 15], 8),
    h('海金沙', 'hǎi jīn shā', 'Japanese Climbing Fern Spore', 'Lygodii Spora', [6, 15], 25, { d: '包煎' }),
    h('石韦', 'shí wéi', 'Pyrrosia Leaf', 'Pyrrosiae Folium', [6, 12], 7),
    h(
      '粉萆薢',
      'fěn bì xiè',
      'Hypoglaucous Collett Yam Rhizome',
      'Dioscoreae Hypoglaucae Rhizoma',
      [9, 15],
      10,
    ),
    h('茵陈', 'yīn chén', 'Virgate Wormwood Herb', 'Artemisiae Scopariae Herba', [6, 15], 6),
    h('金钱草', 'jīn qián cǎo', 'Christina Loosestrife Herb', 'Lysimachiae Herba', [15, 60], 5),
    h(
      '虎杖',
      'hǔ zhàng',
      'Giant Knotweed Rhizome and Root',
      'Polygoni Cuspidati Rhizoma et Radix',
      [9, 15],
      6,
      {
        p: 'c',
      },
    ),
    h('冬瓜皮', 'dōng guā pí', 'Chinese Waxgourd Peel', 'Benincasae Exocarpium', [9, 30], 4),
    h('赤小豆', 'chì xiǎo dòu', 'Rice Bean', 'Vignae Semen', [9, 30], 4),
    h('灯心草', 'dēng xīn cǎo', 'Common Rush Pith', 'Junci Medulla', [1, 3], 30),
  ],
  'Warm the Interior': [
    h('附子', 'fù zǐ', 'Prepared Aconite Lateral Root', 'Aconiti Lateralis Radix Praeparata', [3, 15], 25, {
      p: 'c',
      t: 2,
      nz: 'ACONITE',
      d: '先煎',
    }),
    h('干姜', 'gān jiāng', 'Dried Ginger Rhizome', 'Zingiberis Rhizoma', [3, 10], 8),
    h('肉桂', 'ròu guì', 'Cinnamon Bark', 'Cinnamomi Cortex', [1, 5], 18, { p: 'c' }),
    h('吴茱萸', 'wú zhū yú', 'Medicinal Evodia Fruit', 'Euodiae Fructus', [2, 5], 30, { t: 1 }),
    h('小茴香', 'xiǎo huí xiāng', 'Fennel Fruit', 'Foeniculi Fructus', [3, 6], 6),
    h('丁香', 'dīng xiāng', 'Clove', 'Caryophylli Flos', [1, 3], 20),
    h('高良姜', 'gāo liáng jiāng', 'Lesser Galangal Rhizome', 'Alpiniae Officinarum Rhizoma', [3, 6], 10),
    h('花椒', 'huā jiāo', 'Sichuan Pepper', 'Zanthoxyli Pericarpium', [3, 6], 15),
    h('荜茇', 'bì bá', 'Long Pepper', 'Piperis Longi Fructus', [1, 3], 20),
  ],
  'Regulate Qi': [
    h('陈皮', 'chén pí', 'Dried Tangerine Peel', 'Citri Reticulatae Pericarpium', [3, 10], 8),
    h('青皮', 'qīng pí', 'Green Tangerine Peel', 'Citri Reticulatae Pericarpium Viride', [3, 10], 8),
    h('橘红', 'jú hóng', 'Red Tangerine Peel', 'Citri Exocarpium Rubrum', [3, 10], 10),
    h('橘核', 'jú hé', 'Tangerine Seed', 'Citri Reticulatae Semen', [3, 9], 6),
    h('枳实', 'zhǐ shí', 'Immature Bitter Orange', 'Aurantii Fructus Immaturus', [3, 10], 8, { p: 'c' }),
    h('枳壳', 'zhǐ qiào', 'Bitter Orange', 'Aurantii Fructus', [3, 10], 7, { p: 'c' }),
    h('木香', 'mù xiāng', 'Costus Root', 'Aucklandiae Radix', [3, 6], 12),
    h('青木香', 'qīng mù xiāng', 'Slender Dutchmanspipe Root', 'Aristolochiae Radix', [3, 9], 10, {
      p: 'x',
      t: 2,
      nz: 'ARISTOLOCHIA',
      s: 'tb',
    }),
    h('香附', 'xiāng fù', 'Nutgrass Galingale Rhizome', 'Cyperi Rhizoma', [6, 10], 8),
    h('乌药', 'wū yào', 'Combined Spicebush Root', 'Linderae Radix', [6, 10], 10),
    h('沉香', 'chén xiāng', 'Chinese Eaglewood', 'Aquilariae Lignum Resinatum', [1, 5], 300, { d: '后下' }),
    h('檀香', 'tán xiāng', 'Sandalwood', 'Santali Albi Lignum', [2, 5], 60),
    h('川楝子', 'chuān liàn zǐ', 'Szechwan Chinaberry Fruit', 'Toosendan Fructus', [5, 10], 6, { t: 1 }),
    h('薤白', 'xiè bái', 'Longstamen Onion Bulb', 'Allii Macrostemonis Bulbus', [5, 10], 12),
    h('佛手', 'fó shǒu', 'Finger Citron', 'Citri Sarcodactylis Fructus', [3, 10], 12),
    h('香橼', 'xiāng yuán', 'Citron Fruit', 'Citri Fructus', [3, 10], 8),
    h('玫瑰花', 'méi guī huā', 'Rose Flower Bud', 'Rosae Rugosae Flos', [3, 6], 20),
    h('大腹皮', 'dà fù pí', 'Areca Peel', 'Arecae Pericarpium', [5, 10], 6),
    h('柿蒂', 'shì dì', 'Persimmon Calyx', 'Kaki Calyx', [5, 10], 8),
    h('荔枝核', 'lì zhī hé', 'Lychee Seed', 'Litchi Semen', [5, 10], 6),
    h('甘松', 'gān sōng', 'Nardostachys Root and Rhizome', 'Nardostachyos Radix et Rhizoma', [3, 6], 15),
  ],
  'Relieve Food Stagnation': [
    h('山楂', 'shān zhā', 'Hawthorn Fruit', 'Crataegi Fructus', [9, 12], 6),
    h('神曲', 'shén qū', 'Medicated Leaven', 'Massa Medicata Fermentata', [6, 15], 6, { s: 'tb' }),
    h('麦芽', 'mài yá', 'Germinated Barley', 'Hordei Fructus Germinatus', [10, 15], 4),
    h('谷芽', 'gǔ yá', 'Millet Sprout', 'Setariae Fructus Germinatus', [9, 15], 4),
    h('莱菔子', 'lái fú zǐ', 'Radish Seed', 'Raphani Semen', [5, 12], 5),
    h('鸡内金', 'jī nèi jīn', "Chicken's Gizzard-membrane", 'Galli Gigerii Endothelium Corneum', [3, 10], 20),
  ],
  'Expel Parasites': [
    h('使君子', 'shǐ jūn zǐ', 'Rangooncreeper Fruit', 'Quisqualis Fructus', [9, 12], 10),
    h('槟榔', 'bīng láng', 'Areca Seed', 'Arecae Semen', [3, 10], 6),
    h('苦楝皮', 'kǔ liàn pí', 'Chinaberry Bark', 'Meliae Cortex', [3, 6], 8, { p: 'c', t: 2 }),
  ],
  'Stop Bleeding': [
    h('三七', 'sān qī', 'Notoginseng Root', 'Notoginseng Radix et Rhizoma', [3, 9], 45, { p: 'c' }),
    h('蒲黄', 'pú huáng', 'Cattail Pollen', 'Typhae Pollen', [5, 10], 20, { p: 'c', d: '包煎' }),
    h('茜草', 'qiàn cǎo', 'Indian Madder Root', 'Rubiae Radix et Rhizoma', [6, 10], 8),
    h('白及', 'bái jí', 'Common Bletilla Tuber', 'Bletillae Rhizoma', [6, 15], 35),
    h('仙鹤草', 'xiān hè cǎo', 'Hairyvein Agrimony Herb', 'Agrimoniae Herba', [6, 12], 5),
    h('艾叶', 'ài yè', 'Argy Wormwood Leaf', 'Artemisiae Argyi Folium', [3, 9], 6, { t: 1 }),
    h('小蓟', 'xiǎo jì', 'Field Thistle Herb', 'Cirsii Herba', [5, 12], 5),
    h('大蓟', 'dà jì', 'Japanese Thistle Herb', 'Cirsii Japonici Herba', [9, 15], 5),
    h('地榆', 'dì yú', 'Garden Burnet Root', 'Sanguisorbae Radix', [9, 15], 7),
    h('槐花', 'huái huā', 'Pagodatree Flower', 'Sophorae Flos', [5, 10], 8),
    h('侧柏叶', 'cè bǎi yè', 'Chinese Arborvitae Twig and Leaf', 'Platycladi Cacumen', [6, 12], 5),
    h('白茅根', 'bái máo gēn', 'Lalang Grass Rhizome', 'Imperatae Rhizoma', [9, 30], 5),
    h('炮姜', 'páo jiāng', 'Blast-fried Ginger', 'Zingiberis Rhizoma Praeparatum', [3, 9], 10),
    h('藕节', 'ǒu jié', 'Lotus Rhizome Node', 'Nelumbinis Rhizomatis Nodus', [9, 15], 6),
  ],
  'Invigorate Blood': [
    h('川芎', 'chuān xiōng', 'Sichuan Lovage Rhizome', 'Chuanxiong Rhizoma', [3, 10], 10),
    h('延胡索', 'yán hú suǒ', 'Corydalis Rhizome', 'Corydalis Rhizoma', [3, 10], 18),
    h('郁金', 'yù jīn', 'Turmeric Root Tuber', 'Curcumae Radix', [3, 10], 12),
    h('姜黄', 'jiāng huáng', 'Turmeric Rhizome', 'Curcumae Longae Rhizoma', [3, 10], 8, { p: 'c' }),
    h('乳香', 'rǔ xiāng', 'Frankincense', 'Olibanum', [3, 5], 18, { p: 'c' }),
    h('没药', 'mò yào', 'Myrrh', 'Myrrha', [3, 5], 18, { p: 'c' }),
    h('五灵脂', 'wǔ líng zhī', 'Flying Squirrel Faeces', 'Trogopterori Faeces', [3, 10], 12, {
      p: 'c',
      d: '包煎',
      s: 'tb',
    }),
    h('丹参', 'dān shēn', 'Danshen Root', 'Salviae Miltiorrhizae Radix et Rhizoma', [10, 15], 10),
    h('红花', 'hóng huā', 'Safflower', 'Carthami Flos', [3, 10], 25, { p: 'c' }),
    h('桃仁', 'táo rén', 'Peach Seed', 'Persicae Semen', [5, 10], 14, { p: 'c' }),
    h('益母草', 'yì mǔ cǎo', 'Motherwort Herb', 'Leonuri Herba', [9, 30], 5, { p: 'c' }),
    h('泽兰', 'zé lán', 'Hirsute Shiny Bugleweed Herb', 'Lycopi Herba', [6, 12], 6),
    h('牛膝', 'niú xī', 'Twotooth Achyranthes Root', 'Achyranthis Bidentatae Radix', [5, 12], 10, { p: 'c' }),
    h('川牛膝', 'chuān niú xī', 'Medicinal Cyathula Root', 'Cyathulae Radix', [5, 10], 10, { p: 'c' }),
    h('鸡血藤', 'jī xuè téng', 'Suberect Spatholobus Stem', 'Spatholobi Caulis', [9, 15], 6),
    h('王不留行', 'wáng bù liú xíng', 'Cowherb Seed', 'Vaccariae Semen', [5, 10], 6, { p: 'c' }),
    h('土鳖虫', 'tǔ biē chóng', 'Ground Beetle', 'Eupolyphaga Steleophaga', [3, 10], 40, { p: 'x', t: 1 }),
    h('水蛭', 'shuǐ zhì', 'Leech', 'Hirudo', [1, 3], 150, { p: 'x', t: 1 }),
    h('三棱', 'sān léng', 'Common Burreed Tuber', 'Sparganii Rhizoma', [5, 10], 8, { p: 'x' }),
    h('莪术', 'é zhú', 'Zedoary Rhizome', 'Curcumae Rhizoma', [6, 9], 8, { p: 'x' }),
    h('苏木', 'sū mù', 'Sappan Wood', 'Sappan Lignum', [3, 9], 8, { p: 'c' }),
    h('骨碎补', 'gǔ suì bǔ', 'Fortune Drynaria Rhizome', 'Drynariae Rhizoma', [3, 9], 10),
    h('血竭', 'xuè jié', "Dragon's Blood", 'Draconis Sanguis', [1, 2], 150),
    h('马钱子', 'mǎ qián zǐ', 'Nux Vomica Seed', 'Strychni Semen', [0.3, 0.6], 20, {
      p: 'x',
      t: 3,
      nz: 'STRYCHNOS',
    }),
  ],
  'Transform Phlegm': [
    h(
      '法半夏',
      'fǎ bàn xià',
      'Pinellia Tuber (prepared with liquorice and lime)',
      'Pinelliae Rhizoma Praeparatum',
      [3, 9],
      20,
      {
        t: 2,
      },
    ),
    h(
      '姜半夏',
      'jiāng bàn xià',
      'Pinellia Tuber (prepared with ginger and alum)',
      'Pinelliae Rhizoma Praeparatum cum Zingibere et Alumine',
      [3, 9],
      20,
      { t: 2 },
    ),
    h(
      '制天南星',
      'zhì tiān nán xīng',
      'Prepared Jackinthepulpit Tuber',
      'Arisaematis Rhizoma Preparatum',
      [3, 9],
      15,
      {
        p: 'c',
        t: 2,
      },
    ),
    h('胆南星', 'dǎn nán xīng', 'Bile Arisaema', 'Arisaema cum Bile', [3, 6], 25),
    h('白附子', 'bái fù zǐ', 'Giant Typhonium Tuber', 'Typhonii Rhizoma', [3, 6], 20, { p: 'c', t: 2 }),
    h('芥子', 'jiè zǐ', 'Mustard Seed', 'Sinapis Semen', [3, 9], 6),
    h('旋覆花', 'xuán fù huā', 'Inula Flower', 'Inulae Flos', [3, 9], 10, { d: '包煎' }),
    h(
      '白前',
      'bái qián',
      'Willowleaf Swallowwort Rhizome',
      'Cynanchi Stauntonii Rhizoma et Radix',
      [3, 10],
      12,
    ),
    h('桔梗', 'jié gěng', 'Platycodon Root', 'Platycodonis Radix', [3, 10], 10),
    h('川贝母', 'chuān bèi mǔ', 'Sichuan Fritillary Bulb', 'Fritillariae Cirrhosae Bulbus', [3, 10], 250),
    h('浙贝母', 'zhè bèi mǔ', 'Zhejiang Fritillary Bulb', 'Fritillariae Thunbergii Bulbus', [5, 10], 18),
    h('瓜蒌', 'guā lóu', 'Snakegourd Fruit', 'Trichosanthis Fructus', [9, 15], 8),
    h('瓜蒌皮', 'guā lóu pí', 'Snakegourd Peel', 'Trichosanthis Pericarpium', [6, 10], 8),
    h('瓜蒌子', 'guā lóu zǐ', 'Snakegourd Seed', 'Trichosanthis Semen', [9, 15], 10),
    h('竹茹', 'zhú rú', 'Bamboo Shavings', 'Bambusae Caulis in Taenias', [5, 10], 8),
    h('天竺黄', 'tiān zhú huáng', 'Tabasheer', 'Bambusae Concretio Silicea', [3, 9], 30),
    h('前胡', 'qián hú', 'Hogfennel Root', 'Peucedani Radix', [3, 10], 12),
    h('海藻', 'hǎi zǎo', 'Seaweed (Sargassum)', 'Sargassum', [6, 12], 8),
    h('昆布', 'kūn bù', 'Kelp', 'Laminariae Thallus; Eckloniae Thallus', [6, 12], 6),
    h('瓦楞子', 'wǎ léng zǐ', 'Ark Shell', 'Arcae Concha', [9, 15], 4, { d: '先煎' }),
  ],
  'Stop Cough and Calm Wheezing': [
    h('苦杏仁', 'kǔ xìng rén', 'Bitter Apricot Seed', 'Armeniacae Semen Amarum', [5, 10], 8, {
      t: 1,
      d: '后下',
    }),
    h('紫苏子', 'zǐ sū zǐ', 'Perilla Fruit', 'Perillae Fructus', [3, 10], 8),
    h('百部', 'bǎi bù', 'Stemona Root', 'Stemonae Radix', [3, 9], 10),
    h('紫菀', 'zǐ wǎn', 'Tatarian Aster Root', 'Asteris Radix et Rhizoma', [5, 10], 10),
    h('款冬花', 'kuǎn dōng huā', 'Common Coltsfoot Flower', 'Farfarae Flos', [5, 10], 25),
    h('枇杷叶', 'pí pá yè', 'Loquat Leaf', 'Eriobotryae Folium', [6, 10], 5),
    h('桑白皮', 'sāng bái pí', 'White Mulberry Root Bark', 'Mori Cortex', [6, 12], 7),
    h(
      '葶苈子',
      'tíng lì zǐ',
      'Pepperweed or Tansymustard Seed',
      'Descurainiae Semen; Lepidii Semen',
      [3, 10],
      6,
      {
        d: '包煎',
      },
    ),
    h('白果', 'bái guǒ', 'Ginkgo Seed', 'Ginkgo Semen', [5, 10], 10, { t: 2 }),
    h('罗汉果', 'luó hàn guǒ', 'Monk Fruit', 'Siraitiae Fructus', [9, 15], 10),
    h('马兜铃', 'mǎ dōu líng', 'Dutchmanspipe Fruit', 'Aristolochiae Fructus', [3, 9], 10, {
      p: 'x',
      t: 2,
      nz: 'ARISTOLOCHIA',
      s: 'tb',
    }),
  ],
  'Calm the Spirit': [
    h('龙骨', 'lóng gǔ', 'Dragon Bone (fossilised bone)', 'Os Draconis', [15, 30], 6, { d: '先煎', s: 'tb' }),
    h('磁石', 'cí shí', 'Magnetite', 'Magnetitum', [9, 30], 4, { d: '先煎' }),
    h('朱砂', 'zhū shā', 'Cinnabar', 'Cinnabaris', [0.1, 0.5], 30, { p: 'x', t: 2, nz: 'MERCURY' }),
    h('酸枣仁', 'suān zǎo rén', 'Spiny Date Seed', 'Ziziphi Spinosae Semen', [10, 15], 60),
    h('柏子仁', 'bǎi zǐ rén', 'Chinese Arborvitae Kernel', 'Platycladi Semen', [3, 10], 30),
    h('远志', 'yuǎn zhì', 'Thinleaf Milkwort Root', 'Polygalae Radix', [3, 10], 25),
    h('合欢皮', 'hé huān pí', 'Silktree Albizia Bark', 'Albiziae Cortex', [6, 12], 6),
    h('合欢花', 'hé huān huā', 'Silktree Albizia Flower', 'Albiziae Flos', [5, 10], 15),
    h('首乌藤', 'shǒu wū téng', 'Fleeceflower Stem', 'Polygoni Multiflori Caulis', [9, 15], 5),
    h('灵芝', 'líng zhī', 'Lingzhi (Reishi)', 'Ganoderma', [6, 12], 30),
  ],
  'Calm the Liver and Extinguish Wind': [
    h('石决明', 'shí jué míng', 'Abalone Shell', 'Haliotidis Concha', [6, 20], 5, { d: '先煎' }),
    h('珍珠母', 'zhēn zhū mǔ', 'Mother-of-pearl', 'Margaritifera Concha', [10, 25], 4, { d: '先煎' }),
    h('牡蛎', 'mǔ lì', 'Oyster Shell', 'Ostreae Concha', [9, 30], 3, { d: '先煎' }),
    h('赭石', 'zhě shí', 'Haematite', 'Haematitum', [9, 30], 3, { p: 'c', d: '先煎' }),
    h('蒺藜', 'jí lí', 'Puncturevine Caltrop Fruit', 'Tribuli Fructus', [6, 10], 6, { t: 1 }),
    h('天麻', 'tiān má', 'Gastrodia Tuber', 'Gastrodiae Rhizoma', [3, 10], 60),
    h('钩藤', 'gōu téng', 'Gambir Plant Stem with Hooks', 'Uncariae Ramulus cum Uncis', [3, 12], 15, {
      d: '后下',
    }),
    h('地龙', 'dì lóng', 'Earthworm', 'Pheretima', [5, 10], 30),
    h('全蝎', 'quán xiē', 'Scorpion', 'Scorpio', [3, 6], 200, { p: 'x', t: 2 }),
    h('蜈蚣', 'wú gōng', 'Centipede', 'Scolopendra', [3, 5], 150, { p: 'x', t: 2 }),
    h('僵蚕', 'jiāng cán', 'Stiff Silkworm', 'Bombyx Batryticatus', [5, 10], 40),
  ],
  'Open the Orifices': [
    h('石菖蒲', 'shí chāng pú', 'Grassleaf Sweetflag Rhizome', 'Acori Tatarinowii Rhizoma', [3, 10], 12),
    h('冰片', 'bīng piàn', 'Borneol', 'Borneolum Syntheticum', [0.15, 0.3], 40, { p: 'c' }),
    h('蟾酥', 'chán sū', 'Toad Venom', 'Bufonis Venenum', [0.015, 0.03], 3000, {
      p: 'c',
      t: 2,
      nz: 'TOAD_VENOM',
    }),
  ],
  'Tonify Qi': [
    h('人参', 'rén shēn', 'Ginseng Root', 'Ginseng Radix et Rhizoma', [3, 9], 120, { d: '另煎' }),
    h('红参', 'hóng shēn', 'Red Ginseng', 'Ginseng Radix et Rhizoma Rubra', [3, 9], 150, { d: '另煎' }),
    h('西洋参', 'xī yáng shēn', 'American Ginseng Root', 'Panacis Quinquefolii Radix', [3, 6], 80, {
      d: '另煎',
    }),
    h('党参', 'dǎng shēn', 'Codonopsis Root', 'Codonopsis Radix', [9, 30], 18),
    h('太子参', 'tài zǐ shēn', 'Heterophylly Falsestarwort Root', 'Pseudostellariae Radix', [9, 30], 30),
    h('黄芪', 'huáng qí', 'Astragalus Root', 'Astragali Radix', [9, 30], 10),
    h('白术', 'bái zhú', 'White Atractylodes Rhizome', 'Atractylodis Macrocephalae Rhizoma', [6, 12], 12),
    h('山药', 'shān yào', 'Common Yam Rhizome', 'Dioscoreae Rhizoma', [15, 30], 8),
    h('白扁豆', 'bái biǎn dòu', 'White Hyacinth Bean', 'Lablab Semen Album', [9, 15], 6),
    h('甘草', 'gān cǎo', 'Liquorice Root', 'Glycyrrhizae Radix et Rhizoma', [2, 10], 6),
    h(
      '炙甘草',
      'zhì gān cǎo',
      'Honey-fried Liquorice Root',
      'Glycyrrhizae Radix et Rhizoma Praeparata cum Melle',
      [2, 10],
      8,
    ),
    h('大枣', 'dà zǎo', 'Jujube', 'Jujubae Fructus', [6, 15], 6),
    h(
      '刺五加',
      'cì wǔ jiā',
      'Siberian Ginseng (Eleuthero)',
      'Acanthopanacis Senticosi Radix et Rhizoma seu Caulis',
      [9, 27],
      10,
    ),
    h(
      '红景天',
      'hóng jǐng tiān',
      'Rhodiola Root and Rhizome',
      'Rhodiolae Crenulatae Radix et Rhizoma',
      [3, 6],
      30,
    ),
  ],
  'Tonify Yang': [
    h('鹿茸', 'lù róng', 'Deer Velvet Antler', 'Cervi Cornu Pantotrichum', [1, 2], 600, { d: '冲服' }),
    h('鹿角胶', 'lù jiǎo jiāo', 'Deer Antler Glue', 'Cervi Cornus Colla', [3, 6], 150, { d: '烊化' }),
    h('鹿角霜', 'lù jiǎo shuāng', 'Degelatinated Deer Antler', 'Cervi Cornu Degelatinatum', [9, 15], 15, {
      d: '先煎',
    }),
    h('淫羊藿', 'yín yáng huò', 'Epimedium Leaf', 'Epimedii Folium', [6, 10], 10),
    h('巴戟天', 'bā jǐ tiān', 'Morinda Root', 'Morindae Officinalis Radix', [3, 10], 25),
    h('仙茅', 'xiān máo', 'Common Curculigo Rhizome', 'Curculiginis Rhizoma', [3, 10], 20, { t: 2 }),
    h('杜仲', 'dù zhòng', 'Eucommia Bark', 'Eucommiae Cortex', [6, 10], 12),
    h('续断', 'xù duàn', 'Himalayan Teasel Root', 'Dipsaci Radix', [9, 15], 10),
    h('肉苁蓉', 'ròu cōng róng', 'Desert Cistanche Herb', 'Cistanches Herba', [6, 10], 25),
    h('锁阳', 'suǒ yáng', 'Songaria Cynomorium Herb', 'Cynomorii Herba', [5, 10], 15),
    h('补骨脂', 'bǔ gǔ zhī', 'Malaytea Scurfpea Fruit', 'Psoraleae Fructus', [6, 10], 8),
    h('益智', 'yì zhì', 'Sharpleaf Galangal Fruit', 'Alpiniae Oxyphyllae Fructus', [3, 10], 15),
    h('菟丝子', 'tù sī zǐ', 'Dodder Seed', 'Cuscutae Semen', [6, 12], 12),
    h('沙苑子', 'shā yuàn zǐ', 'Flatstem Milkvetch Seed', 'Astragali Complanati Semen', [9, 15], 12),
    h('胡芦巴', 'hú lú bā', 'Fenugreek Seed', 'Trigonellae Semen', [5, 10], 6),
    h('核桃仁', 'hé táo rén', 'Walnut Kernel', 'Juglandis Semen', [6, 9], 8),
  ],
  'Tonify Blood': [
    h('当归', 'dāng guī', 'Chinese Angelica Root', 'Angelicae Sinensis Radix', [6, 12], 14),
    h('熟地黄', 'shú dì huáng', 'Prepared Rehmannia Root', 'Rehmanniae Radix Praeparata', [9, 15], 9),
    h('白芍', 'bái sháo', 'White Peony Root', 'Paeoniae Radix Alba', [6, 15], 10),
    h('阿胶', 'ē jiāo', 'Donkey-hide Gelatin', 'Asini Corii Colla', [3, 9], 120, { d: '烊化' }),
    h(
      '制何首乌',
      'zhì hé shǒu wū',
      'Prepared Fleeceflower Root',
      'Polygoni Multiflori Radix Praeparata',
      [6, 12],
      12,
    ),
    h('龙眼肉', 'lóng yǎn ròu', 'Longan Aril', 'Longan Arillus', [9, 15], 15),
  ],
  'Tonify Yin': [
    h('北沙参', 'běi shā shēn', 'Coastal Glehnia Root', 'Glehniae Radix', [5, 12], 20),
    h('南沙参', 'nán shā shēn', 'Fourleaf Ladybell Root', 'Adenophorae Radix', [9, 15], 12),
    h('麦冬', 'mài dōng', 'Dwarf Lilyturf Tuber', 'Ophiopogonis Radix', [6, 12], 18),
    h('天冬', 'tiān dōng', 'Cochinchinese Asparagus Root', 'Asparagi Radix', [6, 12], 15),
    h('石斛', 'shí hú', 'Dendrobium Stem', 'Dendrobii Caulis', [6, 12], 60),
    h('玉竹', 'yù zhú', "Fragrant Solomon's Seal Rhizome", 'Polygonati Odorati Rhizoma', [6, 12], 12),
    h('黄精', 'huáng jīng', "Siberian Solomon's Seal Rhizome", 'Polygonati Rhizoma', [9, 15], 12),
    h('百合', 'bǎi hé', 'Lily Bulb', 'Lilii Bulbus', [6, 12], 12),
    h('枸杞子', 'gǒu qǐ zǐ', 'Goji Berry (Barbary Wolfberry Fruit)', 'Lycii Fructus', [6, 12], 10),
    h('墨旱莲', 'mò hàn lián', 'Yerbadetajo Herb', 'Ecliptae Herba', [6, 12], 6),
    h('女贞子', 'nǚ zhēn zǐ', 'Glossy Privet Fruit', 'Ligustri Lucidi Fructus', [6, 12], 7),
    h('桑椹', 'sāng shèn', 'Mulberry Fruit', 'Mori Fructus', [9, 15], 10),
    h('鳖甲', 'biē jiǎ', 'Turtle Carapace', 'Trionycis Carapax', [9, 24], 40, { d: '先煎' }),
    h('黑芝麻', 'hēi zhī ma', 'Black Sesame Seed', 'Sesami Semen Nigrum', [9, 15], 4),
  ],
  'Astringe and Stabilise': [
    h('麻黄根', 'má huáng gēn', 'Ephedra Root', 'Ephedrae Radix et Rhizoma', [3, 9], 8, { nz: 'EPHEDRA' }),
    h('五味子', 'wǔ wèi zǐ', 'Chinese Magnoliavine Fruit', 'Schisandrae Chinensis Fructus', [2, 6], 18),
    h('乌梅', 'wū méi', 'Smoked Plum', 'Mume Fructus', [6, 12], 10),
    h('山茱萸', 'shān zhū yú', 'Asiatic Cornelian Cherry Fruit', 'Corni Fructus', [6, 12], 25),
    h('五倍子', 'wǔ bèi zǐ', 'Chinese Gall', 'Galla Chinensis', [3, 6], 20),
    h('诃子', 'hē zǐ', 'Medicine Terminalia Fruit', 'Chebulae Fructus', [3, 10], 8),
    h('肉豆蔻', 'ròu dòu kòu', 'Nutmeg', 'Myristicae Semen', [3, 10], 15),
    h('赤石脂', 'chì shí zhī', 'Red Halloysite', 'Halloysitum Rubrum', [9, 12], 5, { p: 'c', d: '先煎' }),
    h('罂粟壳', 'yīng sù qiào', 'Poppy Capsule', 'Papaveris Pericarpium', [3, 6], 10, {
      p: 'x',
      t: 2,
      nz: 'OPIUM_POPPY',
    }),
    h('莲子', 'lián zǐ', 'Lotus Seed', 'Nelumbinis Semen', [6, 15], 10),
    h('芡实', 'qiàn shí', 'Gordon Euryale Seed', 'Euryales Semen', [9, 15], 10),
    h('金樱子', 'jīn yīng zǐ', 'Cherokee Rose Fruit', 'Rosae Laevigatae Fructus', [6, 12], 8),
    h('覆盆子', 'fù pén zǐ', 'Palmleaf Raspberry Fruit', 'Rubi Fructus', [6, 12], 20),
    h('桑螵蛸', 'sāng piāo xiāo', 'Mantis Egg-case', 'Mantidis Oötheca', [5, 10], 40),
    h('海螵蛸', 'hǎi piāo xiāo', 'Cuttlebone', 'Sepiae Endoconcha', [5, 10], 5),
  ],
  'Induce Vomiting': [
    h('常山', 'cháng shān', 'Antifeverile Dichroa Root', 'Dichroae Radix', [5, 9], 10, { p: 'c', t: 2 }),
    h('藜芦', 'lí lú', 'Black False Hellebore Root', 'Veratri Nigri Radix et Rhizoma', [0.3, 0.6], 20, {
      p: 'x',
      t: 2,
      nz: 'VERATRUM',
      s: 'tb',
    }),
  ],
  'External Use': [
    h('硫黄', 'liú huáng', 'Sulfur', 'Sulfur', [1.5, 3], 4, { p: 'c', t: 2 }),
    h('雄黄', 'xióng huáng', 'Realgar', 'Realgar', [0.05, 0.1], 20, { p: 'x', t: 2, nz: 'ARSENIC' }),
    h('蛇床子', 'shé chuáng zǐ', 'Common Cnidium Fruit', 'Cnidii Fructus', [3, 10], 8, { t: 1 }),
    h('白矾', 'bái fán', 'Alum', 'Alumen', [0.6, 1.5], 4),
  ],
};

// The herbs most often written as concentrated granules (in the classical formulas NZ clinics use
// most). Restricted ones are kept so the rule also covers granule stock.
// prettier-ignore
const GRANULES = [
  '麻黄', '桂枝', '紫苏叶', '荆芥', '防风', '羌活', '白芷', '薄荷', '牛蒡子', '桑叶', '菊花', '柴胡', '升麻', '葛根', '知母', '天花粉', '栀子',
  '夏枯草', '黄芩', '黄连', '黄柏', '金银花', '连翘', '蒲公英', '板蓝根', '鱼腥草', '生地黄', '玄参', '牡丹皮', '赤芍', '青蒿', '地骨皮', '大黄',
  '独活', '秦艽', '桑寄生', '广藿香', '苍术', '厚朴', '砂仁', '茯苓', '猪苓', '泽泻', '薏苡仁', '车前子', '茵陈', '附子', '干姜', '肉桂', '吴茱萸',
  '陈皮', '枳实', '枳壳', '木香', '香附', '乌药', '山楂', '神曲', '麦芽', '鸡内金', '三七', '蒲黄', '川芎', '延胡索', '郁金', '丹参', '红花',
  '桃仁', '益母草', '牛膝', '鸡血藤', '法半夏', '桔梗', '浙贝母', '瓜蒌', '海藻', '苦杏仁', '紫菀', '款冬花', '桑白皮', '酸枣仁', '远志', '合欢皮',
  '首乌藤', '牡蛎', '天麻', '钩藤', '人参', '党参', '太子参', '黄芪', '白术', '山药', '甘草', '炙甘草', '大枣', '淫羊藿', '杜仲', '菟丝子', '当归',
  '熟地黄', '白芍', '北沙参', '麦冬', '玉竹', '枸杞子', '女贞子', '五味子', '山茱萸',
];

function pinyinPlain(pinyin) {
  return pinyin
    .replace(/[ǖǘǚǜü]/g, 'v')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

const skuKey = (plain) => plain.replace(/[^a-z]/g, '').toUpperCase();
const round2 = (n) => Math.round(n * 100) / 100;

function build() {
  const medicines = [];
  const byName = new Map();
  for (const [category, herbs] of Object.entries(TABLE)) {
    if (!CATEGORIES.includes(category)) throw new Error(`unknown category ${category}`);
    for (const herb of herbs) {
      const plain = pinyinPlain(herb.pinyin);
      const raw = {
        sku: `RAW-${herb.o.k ?? skuKey(plain)}`,
        name: herb.name,
        herbName: herb.name,
        pinyin: herb.pinyin,
        pinyinPlain: plain,
        englishName: herb.englishName,
        latinName: herb.latinName,
        category,
        unit: 'g',
        form: 'raw',
        granuleRatio: null,
        priceCentsPerGram: herb.price,
        minDailyDoseGrams: herb.dose[0],
        maxDailyDoseGrams: herb.dose[1],
        doseSource: herb.o.s === 'tb' ? 'textbook' : 'ChP2020',
        decoction: herb.o.d ?? null,
        pregnancy: herb.o.p ? PREGNANCY[herb.o.p] : 'none',
        toxicity: herb.o.t ? TOXICITY[herb.o.t] : 'none',
        nzRestricted: Boolean(herb.o.nz),
        restrictionReason: herb.o.nz ? RESTRICTION_REASONS[herb.o.nz] : null,
      };
      if (herb.o.nz && !RESTRICTION_REASONS[herb.o.nz]) throw new Error(`unknown reason ${herb.o.nz}`);
      if (byName.has(raw.name)) throw new Error(`duplicate herb ${raw.name}`);
      byName.set(raw.name, raw);
      medicines.push(raw);
    }
  }
  for (const name of GRANULES) {
    const raw = byName.get(name);
    if (!raw) throw new Error(`granule for unknown herb ${name}`);
    medicines.push({
      ...raw,
      sku: raw.sku.replace(/^RAW-/, 'GRN-'),
      name: `${raw.name}配方颗粒`,
      pinyin: `${raw.pinyin} pèi fāng kē lì`,
      pinyinPlain: `${raw.pinyinPlain} pei fang ke li`,
      englishName: `${raw.englishName}, concentrated granules`,
      form: 'granule',
      granuleRatio: GRANULE_RATIO,
      priceCentsPerGram: granulePrice(raw.priceCentsPerGram),
      minDailyDoseGrams: round2(raw.minDailyDoseGrams / GRANULE_RATIO),
      maxDailyDoseGrams: round2(raw.maxDailyDoseGrams / GRANULE_RATIO),
      // Granules dissolve in hot water: no decoction instruction carries over.
      decoction: null,
    });
  }
  const skus = new Set();
  for (const m of medicines) {
    if (skus.has(m.sku)) throw new Error(`duplicate SKU ${m.sku}`);
    skus.add(m.sku);
  }
  return medicines;
}

if (require.main === module) {
  const json = JSON.stringify(build(), null, 2) + '\n';
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
    if (current !== json) {
      console.error('medicines.json is stale: run npx node services/orders/data/generate-medicines.js');
      process.exit(1);
    }
    console.log('medicines.json is up to date');
  } else {
    fs.writeFileSync(OUT, json);
    const all = JSON.parse(json);
    const raw = all.filter((m) => m.form === 'raw').length;
    console.log(`wrote ${all.length} medicines (${raw} raw, ${all.length - raw} granules) to ${OUT}`);
  }
}

module.exports = { build, CATEGORIES, GRANULE_RATIO };
