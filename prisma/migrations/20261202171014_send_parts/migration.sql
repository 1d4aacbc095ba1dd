-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "checkFrom" TIMESTAMP(3),
ADD COLUMN     "partsSent" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "purpose" TEXT;
