-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "cause" TEXT;

-- CreateIndex
CREATE INDEX "Message_cause_idx" ON "Message"("cause");
