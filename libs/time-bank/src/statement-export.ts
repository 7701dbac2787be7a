import { Injectable, type StreamableFile } from '@nestjs/common';
import { maskPhone, UsersService } from '@app/identity';
import { CommonError, exportFile, type ExportFormat, Permission, type Principal, reportPeriod, requireAccess, shanghaiDateTime } from '@app/platform';
import type { StatementDto } from './dto/time-bank.dto';
import { LedgerFiguresService } from './ledger-figures';
import type { EntryKind } from './time-bank.types';

/** Entry kinds as the statement names them. */
const KIND_NAMES: Record<EntryKind, string> = {
  EARNED: '服务存入',
  HELD: '兑换冻结',
  RELEASED: '取消兑换解冻',
  REDEEMED: '兑换扣除',
  GIFT_IN: '亲属赠与转入',
  GIFT_OUT: '赠与亲属转出',
  POOLED: '超出上限转入互助池',
  REVERSAL: '冲正',
};

/**
 * A user's statement over a period: the opening balance, every entry with the running balance
 * after it, and the closing balance. Only the holder and administrators may read it, and for a
 * senior the counter or a linked relative acting for her (the guard hands over her principal);
 * to anyone else the user's account does not exist (404), as for every other account route.
 */
@Injectable()
export class StatementService {
  constructor(
    private readonly figures: LedgerFiguresService,
    private readonly users: UsersService,
  ) {}

  async statement(principal: Principal, userId: string, from?: string, to?: string): Promise<StatementDto> {
    requireAccess(principal, Permission.OwnerOrAdmin, userId, { notFound: 'account' });
    const period = reportPeriod(from, to);
    const user = await this.users.findById(userId);
    if (!user) throw CommonError.notFound('account');
    const statement = await this.figures.statement(userId, period.start, period.end);
    return {
      userId,
      accountId: statement.accountId,
      from: period.from,
      to: period.to,
      openingBalanceMinutes: statement.openingBalanceMinutes,
      closingBalanceMinutes: statement.closingBalanceMinutes,
      items: statement.lines.map((line) => ({
        at: line.at.toISOString(),
        kind: line.kind,
        minutes: line.minutes,
        heldDeltaMinutes: line.heldDeltaMinutes,
        balanceAfterMinutes: line.balanceAfterMinutes,
        heldAfterMinutes: line.heldAfterMinutes,
      })),
    };
  }

  async file(principal: Principal, userId: string, format: ExportFormat, from?: string, to?: string): Promise<StreamableFile> {
    const statement = await this.statement(principal, userId, from, to);
    const user = await this.users.findById(userId);
    const holder = `${user?.name ?? ''} ${maskPhone(user?.phone ?? null) ?? user?.idCardNumberMasked ?? ''}`.trim();
    const sum = (pick: (line: StatementDto['items'][number]) => number): number => statement.items.reduce((total, line) => total + pick(line), 0);
    return exportFile(
      format,
      // Named for its holder, as the other exports are for their centre or course: one who fetches
      // several seniors' statements (a relative, the counter) can tell them apart.
      {
        baseName: ['时间银行对账单', user?.name, statement.from, statement.to].filter(Boolean).join('_'),
        asciiName: `time-bank-statement_${statement.from}_${statement.to}`,
      },
      [
        {
          name: '对账单',
          caption: [`时间银行对账单：${holder}`, `期间：${statement.from} 至 ${statement.to}（北京时间），单位：分钟`],
          columns: [
            { header: '时间', width: 20 },
            { header: '类型', width: 20 },
            { header: '余额变动（分钟）', width: 16 },
            { header: '冻结变动（分钟）', width: 16 },
            { header: '余额（分钟）', width: 14 },
            { header: '冻结（分钟）', width: 14 },
          ],
          rows: [
            ['期初', '期初余额', null, null, statement.openingBalanceMinutes, null],
            ...statement.items.map((line) => [
              shanghaiDateTime(new Date(line.at)),
              KIND_NAMES[line.kind],
              line.minutes,
              line.heldDeltaMinutes,
              line.balanceAfterMinutes,
              line.heldAfterMinutes,
            ]),
          ],
          totals: ['合计 / 期末', `${statement.items.length} 笔`, sum((l) => l.minutes), sum((l) => l.heldDeltaMinutes), statement.closingBalanceMinutes, null],
        },
      ],
    );
  }
}
