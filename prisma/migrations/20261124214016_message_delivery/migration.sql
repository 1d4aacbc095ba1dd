-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "deliveryError" TEXT,
ADD COLUMN     "deliveryStatus" TEXT;
