import { Module } from '@nestjs/common';

/**
 * The synchronous reference design (a seat taken inside the HTTP request under a row lock) is
 * mounted here once the enrolment schema it writes to exists.
 */
@Module({})
export class SyncAllocationModule {}
