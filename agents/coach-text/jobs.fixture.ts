// Job postings for the coach-text tests, written the way real postings arrive (Markdown, bullets, bold
// labels), and turned into passages by the real chunker.
import { chunkText } from '../../ingestion/chunk.js';
import type { ScoredChunk } from '../../ingestion/store.js';
import type { CoachStateType } from '../state.js';

/** Modelled on 18F's public Site Reliability Engineer posting (paraphrased, Markdown kept). */
export const SRE_POSTING = `# Site Reliability Engineer

**About 18F**
18F is a digital services agency within the **General Services Administration**. We partner with federal agencies to improve the user experience of government services.

**What you'll do**
As a Site Reliability Engineer, you will help agencies build, run and improve reliable, secure cloud platforms. You will ensure our systems meet their availability targets, automate deployments and infrastructure with tools like Terraform and Ansible, and respond to incidents alongside your team.

**Qualifications**
- Experience operating production systems on a major cloud platform such as AWS, Azure or GCP
- Automating infrastructure with infrastructure-as-code tools
- Monitoring, alerting and incident response for public web services
- Improving reliability through service level objectives and error budgets
- Clear written communication with technical and non-technical partners

**Benefits**
Salary range $120,000 – $160,000. Apply by email to [jobs@example.gov](mailto:jobs@example.gov).`;

export const NURSE_POSTING = `## Registered Nurse, Medical-Surgical Unit

**Responsibilities**
* Provide safe, compassionate patient care on a 30-bed medical-surgical unit
* Administer medication and document care in the electronic health record
* Coordinate discharge plans with physicians, pharmacists and social workers

**Requirements**
* Current RN license
* Two years of acute care experience`;

/** A school's posting as a user pasted it in a trial: a title heading, then the school's blurb, then lists. */
export const TEACHER_POSTING = `# Maths Teacher (11-16)

Riverside Academy is a comprehensive school of 1,100 students. We are looking for a **maths teacher** to join a department of nine.

## Responsibilities
* Plan and teach engaging maths lessons to classes of up to 30 students across years 7 to 11.
* Use assessment data to spot students who are falling behind and plan interventions.
* Prepare year 11 students for GCSE exams.
* Work with parents, form tutors and the SEN team to support every student.
* Contribute to department schemes of work and share resources.

## About you
* Qualified teacher status (QTS) or working towards it.
* High expectations and a calm approach to behaviour management.`;

/** A user trial's posting (a senior financial analyst): its session quoted "partner with procurement" twice. */
export const FINANCE_POSTING = `## About Northwind
Northwind Foods is a family-owned distributor supplying 4,000 grocery stores across the Midwest. We have been growing 15% a year since 2019.

## What you'll do
- Own the monthly close variance analysis for our three distribution centres
- Build and maintain the rolling 18-month forecast in partnership with operations leaders
- Partner with procurement to model supplier price changes and their impact on gross margin
- Present findings to the CFO and regional VPs in plain language
- Automate recurring reporting in Excel, Power BI or SQL

## What you bring
- 5+ years in FP&A or corporate finance
- Strong Excel modelling skills; SQL a plus
- CPA or CFA preferred
- Ability to explain numbers to non-finance audiences

## Benefits
Health, dental, 401(k) match, and a generous employee discount.`;

/** A user trial's posting (an HR business partner): a question quoted "as HR Business Partner you will…". */
export const HR_POSTING = `Fabrikam Manufacturing makes precision parts for the aerospace industry and employs 1,200 people across two plants.

The Role
As HR Business Partner you will support the leadership team of our Leeds plant (600 employees, three shifts).

Key responsibilities:
* Coach line managers through employee relations cases, including absence, conduct and grievances
* Lead the annual engagement survey and turn results into action plans
* Reduce first-year turnover among shift operators

About you:
* CIPD Level 5 or above
* Experience in a unionised or shift-based environment

What we offer: 25 days holiday, pension, free parking and a subsidised canteen.`;

/** A user trial's posting (a store manager): its headings have no colon, and a question quoted one. */
export const RETAIL_POSTING = `Tailspin Outdoor is a specialist outdoor retailer with 85 stores across the UK.

We're looking for a Store Manager to lead our Manchester store (team of 22, £4m turnover).

What you'll be doing
- Leading, coaching and scheduling a team of 22 colleagues
- Hitting sales, conversion and margin targets
- Keeping stock accurate and shrinkage under 1%
- Creating a store customers want to come back to
- Running visual merchandising to brand standards

What we're looking for
- 2+ years managing a retail store or department
- A passion for the outdoors
- Strong commercial awareness

Why join us? Generous staff discount, bonus scheme and 28 days holiday.`;

export function passagesOf(posting: string, kind: ScoredChunk['kind'] = 'jd'): ScoredChunk[] {
  return chunkText(posting, { size: 400, overlap: 50 }).map((c, i) => ({
    documentId: `doc-${kind}`,
    chunkId: `${kind}-${c.index}`,
    kind,
    section: c.section,
    text: c.text,
    score: 1 - i / 100,
  }));
}

export function askState(overrides: Partial<CoachStateType>): CoachStateType {
  return {
    phase: 'ask',
    jobId: 'job-1',
    role: 'Site Reliability Engineer',
    company: '18F',
    module: 'behavioral',
    round: 1,
    seniority: undefined,
    persona: 'neutral',
    asked: [],
    focus: [],
    competency: '',
    panel: null,
    direction: null,
    question: '',
    answer: '',
    passages: [],
    questionCitations: [],
    assessment: null,
    critiqueText: '',
    rewriteText: '',
    drillText: '',
    offlineParts: [],
    ...overrides,
  };
}
