// The curated question bank (a first cut; the coach issue grows it to 150+ tagged questions as data).
import type { Module } from '../../core/types.js';

export interface BankQuestion {
  id: string;
  module: Exclude<Module, 'mixed'>;
  competency: string;
  text: string;
  /** Terms of a job description that make this question a good fit. */
  keywords: string[];
}

export const QUESTION_BANK: readonly BankQuestion[] = [
  {
    id: 'b-impact',
    module: 'behavioral',
    competency: 'impact',
    text: 'Tell me about a project where you moved an important metric. What did you do, and what changed?',
    keywords: ['metric', 'growth', 'conversion', 'result', 'rate', 'reduce', 'increase', 'test'],
  },
  {
    id: 'b-discovery',
    module: 'behavioral',
    competency: 'customer focus',
    text: 'Describe a time you learned something from users or customers that changed your plan.',
    keywords: ['discovery', 'customer', 'user', 'interview', 'research', 'clinician', 'staff', 'feedback'],
  },
  {
    id: 'b-conflict',
    module: 'behavioral',
    competency: 'collaboration',
    text: 'Tell me about a disagreement with a colleague or another team. How did you resolve it?',
    keywords: ['collaborate', 'stakeholder', 'cross-functional', 'team', 'partner', 'engineering', 'design'],
  },
  {
    id: 'b-priorities',
    module: 'behavioral',
    competency: 'prioritisation',
    text: 'Tell me about a time you had to choose between competing priorities. How did you decide?',
    keywords: ['roadmap', 'priorit', 'quarterly', 'planning', 'tradeoff', 'deadline', 'scope'],
  },
  {
    id: 'b-failure',
    module: 'behavioral',
    competency: 'learning',
    text: 'Describe a time something you owned failed. What did you learn and what did you do next?',
    keywords: ['ownership', 'learn', 'incident', 'quality', 'risk'],
  },
  {
    id: 'b-ambiguity',
    module: 'behavioral',
    competency: 'ambiguity',
    text: 'Tell me about a time you had to make progress on a problem with no clear definition.',
    keywords: ['ambiguous', 'define', 'strategy', 'requirement', 'vision', 'problem'],
  },
  {
    id: 'b-influence',
    module: 'behavioral',
    competency: 'influence',
    text: 'Describe a time you convinced people without authority over them to change course.',
    keywords: ['influence', 'stakeholder', 'align', 'executive', 'leadership', 'persuade'],
  },
  {
    id: 'b-data',
    module: 'behavioral',
    competency: 'data-driven decisions',
    text: 'Tell me about a decision you made with data. What data, and what did you decide?',
    keywords: ['data', 'experiment', 'a/b', 'analytics', 'sql', 'measure', 'test'],
  },
  {
    id: 'b-deadline',
    module: 'behavioral',
    competency: 'delivery',
    text: 'Tell me about a time you delivered under a tight deadline. What did you cut, and why?',
    keywords: ['deliver', 'ship', 'deadline', 'launch', 'release', 'execution'],
  },
  {
    id: 'b-requirements',
    module: 'behavioral',
    competency: 'communication',
    text: 'Describe a time unclear requirements caused a problem. How did you make them clear?',
    keywords: ['requirement', 'spec', 'document', 'writing', 'clear', 'communication'],
  },
  {
    id: 'b-mentoring',
    module: 'behavioral',
    competency: 'leadership',
    text: 'Tell me about someone you helped grow. What did you do, and how did they change?',
    keywords: ['mentor', 'coach', 'lead', 'manage', 'hire', 'grow'],
  },
  {
    id: 'b-compliance',
    module: 'behavioral',
    competency: 'risk and compliance',
    text: 'Tell me about a time you worked within a privacy, security or regulatory constraint.',
    keywords: ['privacy', 'hipaa', 'gdpr', 'security', 'compliance', 'regulat', 'soc'],
  },
  {
    id: 't-design',
    module: 'technical',
    competency: 'system design',
    text: 'Walk me through the design of a system you built: its parts, its limits, and what you would change.',
    keywords: ['architecture', 'design', 'scal', 'distributed', 'api', 'service', 'system'],
  },
  {
    id: 't-debug',
    module: 'technical',
    competency: 'debugging',
    text: 'Tell me about the hardest bug you tracked down. How did you find it?',
    keywords: ['debug', 'incident', 'production', 'reliab', 'on-call', 'monitor'],
  },
  {
    id: 't-tradeoff',
    module: 'technical',
    competency: 'technical judgement',
    text: 'Describe a technical trade-off you made. What were the options and why did you choose yours?',
    keywords: ['tradeoff', 'performance', 'cost', 'latency', 'database', 'choose'],
  },
  {
    id: 't-data',
    module: 'technical',
    competency: 'data',
    text: 'How would you measure whether a new feature works? Which metrics, and how would you run the test?',
    keywords: ['metric', 'a/b', 'experiment', 'analytics', 'measure', 'sql'],
  },
  {
    id: 't-quality',
    module: 'technical',
    competency: 'quality',
    text: 'How do you make sure what you ship works? Give a concrete example of your testing or review.',
    keywords: ['test', 'quality', 'review', 'ci', 'automation', 'reliab'],
  },
  {
    id: 't-scale',
    module: 'technical',
    competency: 'scalability',
    text: 'Tell me about a time a system hit its limits. What broke, and how did you scale it?',
    keywords: ['scale', 'performance', 'load', 'traffic', 'latency', 'throughput'],
  },
  {
    id: 'c-why',
    module: 'culture',
    competency: 'motivation',
    text: 'Why this company, and why this role now?',
    keywords: ['mission', 'company', 'values', 'customer', 'patient', 'impact'],
  },
  {
    id: 'c-values',
    module: 'culture',
    competency: 'values',
    text: 'Tell me about a time your values were tested at work. What did you do?',
    keywords: ['values', 'integrity', 'trust', 'ethic', 'culture'],
  },
  {
    id: 'c-feedback',
    module: 'culture',
    competency: 'feedback',
    text: 'Describe the most useful critical feedback you received. What did you change?',
    keywords: ['feedback', 'growth', 'learn', 'coach', 'improve'],
  },
  {
    id: 'c-team',
    module: 'culture',
    competency: 'teamwork',
    text: 'What kind of team do you do your best work in? Give an example from your experience.',
    keywords: ['team', 'collaborat', 'remote', 'culture', 'environment'],
  },
  {
    id: 'c-customer',
    module: 'culture',
    competency: 'customer empathy',
    text: 'Tell me about a time you went out of your way for a customer or user.',
    keywords: ['customer', 'user', 'patient', 'support', 'empathy', 'service'],
  },
  {
    id: 'c-change',
    module: 'culture',
    competency: 'adaptability',
    text: 'Tell me about a big change at work you had to adapt to. How did you handle it?',
    keywords: ['change', 'adapt', 'fast-paced', 'startup', 'growth', 'reorg'],
  },
];

export function candidatesFor(module: Module, asked: readonly string[]): BankQuestion[] {
  const pool = QUESTION_BANK.filter((q) => module === 'mixed' || q.module === module);
  const fresh = pool.filter((q) => !asked.some((a) => a.includes(q.text)));
  return fresh.length > 0 ? fresh : pool;
}
