CREATE TABLE "ingestion_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"job_id" text NOT NULL,
	"owner_id" text NOT NULL,
	"requested_by" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"documents" integer DEFAULT 0 NOT NULL,
	"documents_done" integer DEFAULT 0 NOT NULL,
	"documents_failed" integer DEFAULT 0 NOT NULL,
	"chunks" integer DEFAULT 0 NOT NULL,
	"embedder" text NOT NULL,
	"chunk_size" integer NOT NULL,
	"chunk_overlap" integer NOT NULL,
	"index_version" integer NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "documents" ALTER COLUMN "text" SET DEFAULT '';--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "blob_key" text;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "format" text;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "size_bytes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "stage" text DEFAULT 'queued' NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "index_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "ingestion_runs" ADD CONSTRAINT "ingestion_runs_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ingestion_runs_job_idx" ON "ingestion_runs" USING btree ("job_id","started_at");--> statement-breakpoint
CREATE INDEX "ingestion_runs_started_idx" ON "ingestion_runs" USING btree ("started_at");--> statement-breakpoint
ALTER TABLE "jobs" DROP COLUMN "ingestion_status";--> statement-breakpoint
ALTER TABLE "jobs" DROP COLUMN "ingestion_chunks";--> statement-breakpoint
ALTER TABLE "jobs" DROP COLUMN "ingestion_error";