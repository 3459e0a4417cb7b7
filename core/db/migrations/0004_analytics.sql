ALTER TABLE "sessions" ADD COLUMN "debrief" jsonb;--> statement-breakpoint
ALTER TABLE "turns" ADD COLUMN "competency" text;