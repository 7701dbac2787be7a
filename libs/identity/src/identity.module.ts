import { Module } from '@nestjs/common';
import { AuthService } from './auth.service';
import { FamilyController } from './family.controller';
import { FamilyLinksService } from './family-links.service';
import { IdentityController } from './identity.controller';
import { IdentitySeeder } from './identity.seeder';
import { PeopleController } from './people.controller';
import { PeopleService } from './people.service';
import { UsersService } from './users.service';
import { AccountRemovals } from './account-removals';
import { VolunteerEndings } from './volunteer-endings';

/** Users and their lookups; imported by any program or domain that needs to know people. */
@Module({
  providers: [UsersService, IdentitySeeder, VolunteerEndings, AccountRemovals],
  exports: [UsersService, VolunteerEndings, AccountRemovals],
})
export class IdentityModule {}

/** Sign-in, registration, the service counter, family links and user administration over HTTP (API only). */
@Module({
  imports: [IdentityModule],
  controllers: [IdentityController, PeopleController, FamilyController],
  providers: [AuthService, PeopleService, FamilyLinksService],
})
export class IdentityHttpModule {}
