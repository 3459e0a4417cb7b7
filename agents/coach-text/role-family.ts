// The role family of a job (an SRE, a nurse, a sales rep...): bank questions tagged for other families
// are not asked, so a site reliability engineer is never asked about working with clinical staff.
// The family is the nearest one by sentence-embedding similarity (MiniLM) when an embedder is given, and
// by title and description keywords otherwise (the hashing embedder counts as none: it only sees words).
import { cosine, type Embedder } from '../../ingestion/embed.js';
import { ROLE_FAMILIES } from '../../core/types.js';

export { ROLE_FAMILIES };
export type RoleFamily = (typeof ROLE_FAMILIES)[number];

interface Profile {
  /** Title words that settle the family on their own. */
  title: RegExp;
  /** Description words that point to it. */
  words: RegExp;
  /** What the work is, in a sentence: the family's point in embedding space. */
  about: string;
}

const PROFILES: Record<RoleFamily, Profile> = {
  engineering: {
    title:
      /\b(software|developer|programmer|engineer(?:ing)?|front-?end|back-?end|full-?stack|mobile|ios|android)\b/i,
    words:
      /\b(code|coding|software|api|typescript|javascript|python|java|react|microservices?|pull requests?)\b/gi,
    about: 'Software engineer: designs, writes, tests and reviews code for applications, APIs and services.',
  },
  sre: {
    title:
      /\b(site reliability|sre|devops|platform engineer|infrastructure|cloud engineer|systems? (?:engineer|administrator)|production engineer)\b/i,
    words:
      /\b(reliability|uptime|availability|on-?call|incidents?|kubernetes|terraform|ansible|slos?|observability|monitoring|deployments?|ci\/cd|cloud)\b/gi,
    about:
      'Site reliability engineer: runs production infrastructure and cloud platforms, automates deployments, monitoring, on-call incident response and uptime.',
  },
  data: {
    title: /\b(data|analyst|analytics|scientist|machine learning|ml engineer|bi developer|statistician)\b/i,
    words: /\b(sql|dashboards?|analysis|analytics|statistic\w*|models?|experiments?|a\/b|datasets?|etl)\b/gi,
    about:
      'Data analyst or scientist: analyses data with SQL and statistics, builds dashboards, models and experiments.',
  },
  product: {
    title: /\b(product (?:manager|owner|lead)|program manager|pm)\b/i,
    words:
      /\b(roadmap|discovery|stakeholders?|prioriti[sz]\w*|product|requirements|user research|launch)\b/gi,
    about:
      'Product manager: owns a product roadmap, runs discovery with users, prioritises features and works with engineering and design.',
  },
  design: {
    title: /\b(designer|design lead|ux|ui|user experience|researcher)\b/i,
    words: /\b(figma|prototypes?|wireframes?|usability|user research|visual|interaction|design system)\b/gi,
    about:
      'Product or UX designer: researches users, sketches, prototypes and tests interfaces and visual designs.',
  },
  nursing: {
    title:
      /\b(nurse|nursing|rn|lpn|clinical|clinician|caregiver|physician|medical assistant|midwife|paramedic|pharmacist)\b/i,
    words: /\b(patients?|clinical|care|medication|ward|unit|hospital|shift|bedside|triage|nursing)\b/gi,
    about:
      'Nurse: cares for patients on a hospital unit, gives medication, works shifts with doctors and clinical staff.',
  },
  sales: {
    title: /\b(sales|account (?:executive|manager)|business development|bdr|sdr|account director)\b/i,
    words: /\b(quota|pipeline|prospect\w*|deals?|leads?|crm|closing|revenue|territory)\b/gi,
    about:
      'Sales representative: prospects, qualifies leads, runs a pipeline and closes deals against a quota.',
  },
  support: {
    title: /\b(support|customer service|customer success|help ?desk|service desk|call cent(?:er|re))\b/i,
    words: /\b(tickets?|customers?|queue|escalat\w*|resolution|zendesk|support|satisfaction|csat)\b/gi,
    about:
      'Customer support agent: answers customer tickets and calls, resolves problems and escalates issues.',
  },
  teaching: {
    title: /\b(teacher|teaching|tutor|instructor|lecturer|professor|educator|teaching assistant)\b/i,
    words: /\b(students?|classroom|lessons?|curriculum|pupils?|grades?|school|teaching)\b/gi,
    about:
      'Teacher: plans lessons, teaches students in a classroom, assesses their progress and works with parents.',
  },
  finance: {
    title: /\b(accountant|accounting|finance|financial|controller|auditor|bookkeeper|treasury|fp&a)\b/i,
    words: /\b(budgets?|forecast\w*|ledger|reconcil\w*|audit|financial|accounts|gaap|invoices?)\b/gi,
    about: 'Finance or accounting professional: budgets, forecasts, reconciles accounts, reports and audits.',
  },
  operations: {
    title:
      /\b(operations|logistics|supply chain|warehouse|project manager|coordinator|dispatcher|office manager)\b/i,
    words:
      /\b(operations|logistics|inventory|vendors?|process(?:es)?|scheduling|supply|shipping|procurement)\b/gi,
    about: 'Operations manager: runs day-to-day processes, logistics, vendors, scheduling and inventory.',
  },
  hr: {
    title: /\b(hr|human resources|recruiter|recruiting|talent|people partner|people operations)\b/i,
    words: /\b(hiring|recruit\w*|employees?|onboarding|benefits|payroll|candidates?|talent)\b/gi,
    about:
      'HR or recruiter: hires candidates, onboards employees, handles employee relations, benefits and payroll.',
  },
  retail: {
    title: /\b(retail|store|cashier|sales associate|shop|merchandis\w*|barista|server|restaurant)\b/i,
    words: /\b(store|shoppers?|merchandis\w*|checkout|stock|floor|register|shift)\b/gi,
    about:
      'Retail associate or store manager: serves shoppers on the floor, runs the till, stocks and merchandises.',
  },
  marketing: {
    title: /\b(marketing|marketer|brand|content|seo|growth|communications|copywriter|social media)\b/i,
    words: /\b(campaigns?|brand|seo|content|marketing|audience|channels?|conversion|social media)\b/gi,
    about:
      'Marketer: plans campaigns, content and brand, grows an audience across channels and measures conversion.',
  },
};

/** The family by keywords: a title match counts for five description words. Null when nothing points anywhere. */
export function familyByKeywords(title: string, description: string): RoleFamily | null {
  let best: { family: RoleFamily; score: number } | null = null;
  for (const family of ROLE_FAMILIES) {
    const p = PROFILES[family];
    const score = (p.title.test(title) ? 5 : 0) + Math.min(5, description.match(p.words)?.length ?? 0);
    if (score > 0 && (!best || score > best.score)) best = { family, score };
  }
  return best?.family ?? null;
}

// The families' vectors, per embedder: computed once per process, not per question.
const profileVectors = new WeakMap<Embedder, Promise<number[][]>>();

/** Below this similarity the nearest family is a guess, and the keywords decide. */
const MIN_SIMILARITY = 0.25;

const TITLE_BONUS = 0.15;

/** The job's role family: nearest by embedding when `embedder` is a real sentence model, else by keywords. */
export async function inferRoleFamily(
  job: { title: string; description: string },
  embedder?: Embedder,
): Promise<RoleFamily | null> {
  const byKeywords = familyByKeywords(job.title, job.description);
  if (!embedder || embedder.id.startsWith('hashing')) return byKeywords;
  let vectors = profileVectors.get(embedder);
  if (!vectors) {
    vectors = embedder.embed(ROLE_FAMILIES.map((f) => PROFILES[f].about));
    profileVectors.set(embedder, vectors);
  }
  // The title says most about the family; the description's opening says what the work is.
  const [title, both] = await embedder.embed([job.title, `${job.title}. ${job.description.slice(0, 600)}`]);
  const families = await vectors;
  // A title keyword is strong evidence the embedding alone can miss ("Account Executive" sits near finance).
  const ranked = ROLE_FAMILIES.map((family, i) => ({
    family,
    similarity:
      (2 * cosine(title!, families[i]!) + cosine(both!, families[i]!)) / 3 +
      (PROFILES[family].title.test(job.title) ? TITLE_BONUS : 0),
  })).sort((a, b) => b.similarity - a.similarity);
  return ranked[0]!.similarity >= MIN_SIMILARITY ? ranked[0]!.family : byKeywords;
}
