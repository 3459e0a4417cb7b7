// The spoken answers the voice benches time: STAR answers with different words, so transcripts and critiques
// differ from one to the next.
/** Ten STAR answers (different words, so transcripts and critiques differ), none vague enough to probe. */
export const E2E_ANSWERS = [
  'At CityRide our booking flow lost riders at the payment step. My goal was to raise completed bookings. I interviewed twenty riders, found that surprise fees caused most drop offs, and ran an A B test showing the full price up front. Completed bookings rose twelve percent.',
  'Our clinic scheduling tool had a thirty percent no show rate. I was asked to reduce it within a quarter. I designed text reminders with a one tap reschedule link and tested them in five clinics. No shows fell to eighteen percent and we rolled it out everywhere.',
  'When I joined the payments team, releases took two weeks. I owned making them faster. I automated our test suite and split the deploy into small steps with feature flags. Releases now take two days and incidents dropped by half.',
  'A key customer threatened to leave over slow support replies. My task was to win back their trust. I set up a shared channel, triaged every ticket myself for a month and fixed the three top bugs. Their satisfaction score rose from sixty to ninety percent and they renewed for three years.',
  'Our warehouse lost track of returned items. I had to find out why and fix it. I mapped the returns process with the floor staff, added barcode scans at two steps and trained the night shift. Lost returns fell by eighty percent in two months.',
  'Two engineering teams disagreed about an API design and the launch was slipping. I was the product manager responsible. I ran a workshop where each team showed their constraints, and we agreed on a versioned contract. We launched only one week late, and the new API cut integration time by forty percent.',
  'Sign ups on our mobile app were flat for six months. I was asked to grow them. I analysed the funnel, found that the email check lost forty percent of people, and replaced it with a magic link. Sign ups grew twenty five percent the next month.',
  'Our hospital ward had long handover times between shifts. As charge nurse I wanted handovers under fifteen minutes. I introduced a one page checklist and practised it with the team for two weeks. Handovers now take twelve minutes and fewer details are missed.',
  'The sales team missed its target two quarters in a row. I was the new team lead. I rebuilt our pipeline reviews, coached each rep on two deals a week and dropped leads that never converted. We beat the next target by nine percent.',
  'Our data pipeline failed most Monday mornings. I owned its reliability. I added alerts, found that a weekly export overloaded the database, and moved it to a replica. Monday failures dropped from four a month to zero, and report delays fell by ninety percent.',
];
