-- CreateIndex
CREATE INDEX "Job_status_kind_runAt_idx" ON "Job"("status", "kind", "runAt");
