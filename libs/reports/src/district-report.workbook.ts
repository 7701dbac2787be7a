import { SERVICE_TYPE_NAMES } from '@app/care-centre';
import type { ExportTable } from '@app/platform';
import type { DistrictReportDto } from './dto/report.dto';

/** The report as workbook sheets: 床位, 照料中心, 时间银行, 老年大学, each with Chinese headers and a totals row. */
export function districtReportTables(report: DistrictReportDto): ExportTable[] {
  const caption = ['区级养老服务报表', `统计期间：${report.from} 至 ${report.to}（北京时间）`];
  const { district } = report.beds;
  const care = report.careCentres;
  const services = Object.entries(SERVICE_TYPE_NAMES).map(
    ([type, name]) => [`${name}服务（人次）`, care.servicesByType[type as keyof typeof SERVICE_TYPE_NAMES]] as const,
  );
  const terms = report.enrolment.terms;
  const termSum = (key: 'applicants' | 'seats' | 'confirmed' | 'waitlisted' | 'rejected'): number => terms.reduce((total, t) => total + t[key], 0);
  return [
    {
      name: '床位',
      caption,
      columns: [
        { header: '机构', width: 30 },
        { header: '床位数' },
        { header: '期末在住床位' },
        { header: '期末入住率' },
        { header: '平均入住率' },
        { header: '入住人数' },
        { header: '出院人数' },
      ],
      rows: report.beds.facilities.map((f) => [
        f.name,
        f.totalBeds,
        f.occupiedAtEnd,
        { percent: f.occupancyRateAtEnd },
        { percent: f.averageOccupancyRate },
        f.admissions,
        f.discharges,
      ]),
      totals: [
        '合计',
        district.totalBeds,
        district.occupiedAtEnd,
        { percent: district.occupancyRateAtEnd },
        { percent: district.averageOccupancyRate },
        district.admissions,
        district.discharges,
      ],
    },
    {
      name: '照料中心',
      caption,
      columns: [
        { header: '指标', width: 30 },
        { header: '数值', width: 14 },
      ],
      rows: [
        ['照料中心数', care.centres],
        ['运营中', care.operating],
        ['社会化运营率', { percent: care.socializedOperationRate }],
        ['阳光厨房覆盖率', { percent: care.sunshineKitchenCoverage }],
        ['签到人次', care.checkIns],
        ['出勤率', { percent: care.attendanceRate }],
        ...services.map(([name, value]) => [name, value]),
      ],
      totals: ['服务合计（人次）', services.reduce((total, [, value]) => total + value, 0)],
    },
    {
      name: '时间银行',
      caption,
      columns: [
        { header: '指标', width: 30 },
        { header: '分钟', width: 14 },
        { header: '小时', width: 14 },
      ],
      rows: [
        ['存入（志愿服务）', report.timeBank.earnedMinutes, Math.round((report.timeBank.earnedMinutes / 60) * 100) / 100],
        ['兑换', report.timeBank.redeemedMinutes, Math.round((report.timeBank.redeemedMinutes / 60) * 100) / 100],
        ['赠与亲属', report.timeBank.giftedMinutes, Math.round((report.timeBank.giftedMinutes / 60) * 100) / 100],
        ['活跃志愿者（人）', report.timeBank.activeVolunteers, null],
      ],
      totals: [
        '净存入（存入 − 兑换）',
        report.timeBank.earnedMinutes - report.timeBank.redeemedMinutes,
        Math.round(((report.timeBank.earnedMinutes - report.timeBank.redeemedMinutes) / 60) * 100) / 100,
      ],
    },
    {
      name: '老年大学',
      caption,
      columns: [{ header: '学期', width: 30 }, { header: '报名人数' }, { header: '学位数' }, { header: '录取' }, { header: '候补' }, { header: '未录取' }],
      rows: terms.map((t) => [t.name, t.applicants, t.seats, t.confirmed, t.waitlisted, t.rejected]),
      totals: ['合计', termSum('applicants'), termSum('seats'), termSum('confirmed'), termSum('waitlisted'), termSum('rejected')],
    },
  ];
}
