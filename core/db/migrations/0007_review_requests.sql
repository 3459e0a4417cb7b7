CREATE TABLE "review_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"session_id" text NOT NULL,
	"job_title" text NOT NULL,
	"focus" text DEFAULT '' NOT NULL,
	"anonymous" boolean NOT NULL,
	"invited" jsonb NOT NULL,
	"snapshot" jsonb NOT NULL,
	"job_profile" jsonb,
	"state" jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_shares" (
	"id" text PRIMARY KEY NOT NULL,
	"request_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"passcode" jsonb,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "review_shares_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "review_submissions" (
	"request_id" text NOT NULL,
	"reviewer_id" text NOT NULL,
	"answer_id" text NOT NULL,
	"scores" jsonb NOT NULL,
	"comments" jsonb NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "review_submissions_request_id_reviewer_id_answer_id_pk" PRIMARY KEY("request_id","reviewer_id","answer_id")
);
--> statement-breakpoint
ALTER TABLE "review_requests" ADD CONSTRAINT "review_requests_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_requests" ADD CONSTRAINT "review_requests_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_shares" ADD CONSTRAINT "review_shares_request_id_review_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."review_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_submissions" ADD CONSTRAINT "review_submissions_request_id_review_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."review_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "review_requests_owner_idx" ON "review_requests" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE INDEX "review_requests_session_idx" ON "review_requests" USING btree ("session_id");