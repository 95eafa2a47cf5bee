<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccountsPanel</name>
    <message>
        <source>Disabled (no longer in use)</source>
        <translation>已停用（不再使用）</translation>
    </message>
    <message>
        <source>Locked by administrator</source>
        <translation>已被管理员锁定</translation>
    </message>
    <message>
        <source>Locked after wrong passwords</source>
        <translation>密码错误次数过多，暂时锁定</translation>
    </message>
    <message>
        <source>Active, must choose a new password</source>
        <translation>正常，下次登录须设置新密码</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Last login</source>
        <translation>上次登录</translation>
    </message>
    <message>
        <source>New account…</source>
        <translation>新建账号…</translation>
    </message>
    <message>
        <source>Name and role…</source>
        <translation>修改姓名和角色…</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Account {user} saved.</source>
        <translation>账号 {user} 已保存。</translation>
    </message>
    <message>
        <source>User accounts</source>
        <translation>用户账号</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Unlock the account {user}? It can log in again at once.</source>
        <translation>解锁账号 {user}？解锁后可立即登录。</translation>
    </message>
    <message>
        <source>Account {user} unlocked.</source>
        <translation>账号 {user} 已解锁。</translation>
    </message>
    <message>
        <source>Lock the account {user}? It cannot log in until an administrator unlocks it.</source>
        <translation>锁定账号 {user}？锁定后须由管理员解锁才能登录。</translation>
    </message>
    <message>
        <source>Account {user} locked.</source>
        <translation>账号 {user} 已锁定。</translation>
    </message>
    <message>
        <source>Disable the account {user}? Do this when someone no longer works here: the account cannot log in, and its name stays in the audit log and on the contracts it signed.</source>
        <translation>停用账号 {user}？人员离职时停用：停用后不能登录，审计日志和其签订的协议中仍保留其姓名。</translation>
    </message>
    <message>
        <source>Account {user} disabled.</source>
        <translation>账号 {user} 已停用。</translation>
    </message>
    <message>
        <source>Enable the account {user} again?</source>
        <translation>重新启用账号 {user}？</translation>
    </message>
    <message>
        <source>Account {user} enabled.</source>
        <translation>账号 {user} 已启用。</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Entity</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Entity id</source>
        <translation>对象编号</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>变更内容</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>工作站</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>From</source>
        <translation>日期从</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除条件</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Verify the chain</source>
        <translation>核验审计链</translation>
    </message>
    <message>
        <source>Re-compute every event&apos;s seal: finds events edited or removed outside familydoc</source>
        <translation>重新计算每条记录的哈希签章，找出在本程序之外被修改或删除的记录</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>to</source>
        <translation>到</translation>
    </message>
    <message>
        <source>{count} events, newest first (personal values are masked)</source>
        <translation>共 {count} 条记录，最新的在前（个人信息已脱敏）</translation>
    </message>
    <message>
        <source>{count} events match, newest first (personal values are masked)</source>
        <translation>符合条件的记录共 {count} 条，最新的在前（个人信息已脱敏）</translation>
    </message>
    <message>
        <source>The start date is after the end date.</source>
        <translation>开始日期晚于结束日期。</translation>
    </message>
    <message>
        <source>audit-log-{date}.xlsx</source>
        <translation>审计日志-{date}.xlsx</translation>
    </message>
    <message>
        <source>Export the audit log</source>
        <translation>导出审计日志</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV，UTF-8 编码 (*.csv)</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>{count} events exported to {file}.</source>
        <translation>已将 {count} 条记录导出到 {file}。</translation>
    </message>
    <message>
        <source>The audit log is whole: each of its {count} events matches its seal and the seal of the event before it. Nothing was edited or removed.</source>
        <translation>审计日志完整：全部 {count} 条记录都与各自的哈希签章以及前一条记录的签章相符，没有记录被修改或删除。</translation>
    </message>
    <message>
        <source>The audit log was changed outside familydoc:</source>
        <translation>审计日志在本程序之外被改动过：</translation>
    </message>
</context>
<context>
    <name>BackupStatusLabel</name>
    <message>
        <source>Backups folder: {folder}</source>
        <translation>备份文件夹：{folder}</translation>
    </message>
    <message>
        <source>⚠ The database is damaged: nothing more is saved</source>
        <translation>⚠ 数据库已损坏：不再保存任何修改</translation>
    </message>
    <message>
        <source>Checking the database…</source>
        <translation>正在检查数据库…</translation>
    </message>
    <message>
        <source>Backing up… {percent}%</source>
        <translation>正在备份… {percent}%</translation>
    </message>
    <message>
        <source>⚠ The last backup failed</source>
        <translation>⚠ 上次备份失败</translation>
    </message>
    <message>
        <source>; no good backup for {days} days</source>
        <translation>，已有 {days} 天没有完好的备份</translation>
    </message>
    <message>
        <source>⚠ No backup has been made yet</source>
        <translation>⚠ 还没有备份</translation>
    </message>
    <message>
        <source>⚠ No good backup for {days} days</source>
        <translation>⚠ 已有 {days} 天没有完好的备份</translation>
    </message>
    <message>
        <source>Backup: {when}</source>
        <translation>备份：{when}</translation>
    </message>
    <message>
        <source> (second folder: not copied)</source>
        <translation>（未能复制到第二备份文件夹）</translation>
    </message>
</context>
<context>
    <name>CallListPreview</name>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>The printer could not be started.</source>
        <translation>无法启动打印机。</translation>
    </message>
    <message>
        <source>Save the call list</source>
        <translation>保存电话随访名单</translation>
    </message>
    <message>
        <source>PDF file (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change my password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Your password was set by an administrator. Choose your own password now: only you should know it.</source>
        <translation>您的密码是管理员设置的。请现在设置自己的密码：密码只应由您本人知道。</translation>
    </message>
    <message>
        <source>Back to login</source>
        <translation>返回登录</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>Repeat the new password</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>The two new passwords differ.</source>
        <translation>两次输入的新密码不一致。</translation>
    </message>
    <message>
        <source>Choose a password different from the current one.</source>
        <translation>新密码不能与当前密码相同。</translation>
    </message>
</context>
<context>
    <name>CheckPage</name>
    <message>
        <source>Check every row</source>
        <translation>逐行检查</translation>
    </message>
    <message>
        <source>Nothing is written yet: every row is checked against the same rules as the form.</source>
        <translation>此时尚未写入任何数据：每一行都按与在表单中录入时相同的规则检查。</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>开始导入</translation>
    </message>
    <message>
        <source>Save the list of problems…</source>
        <translation>保存错误清单…</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>重新检查</translation>
    </message>
    <message>
        <source>After correcting the file (and saving it), check it again.</source>
        <translation>在原文件中改正并保存后，重新检查。</translation>
    </message>
    <message>
        <source>Checking {file}…</source>
        <translation>正在检查 {file}…</translation>
    </message>
    <message>
        <source>Checking row {done} of about {total}…</source>
        <translation>正在检查第 {done} 行（共约 {total} 行）…</translation>
    </message>
    <message>
        <source>All {rows} rows are fine. Press “Import” to write them:</source>
        <translation>全部 {rows} 行检查通过。点击“开始导入”写入数据：</translation>
    </message>
    <message>
        <source>The check was stopped.</source>
        <translation>检查已停止。</translation>
    </message>
    <message>
        <source>Correct these rows in your file, save it, and press “Check again”.</source>
        <translation>请在原文件中改正这些行并保存，然后点击“重新检查”。</translation>
    </message>
    <message>
        <source>The first {shown} of {count} problems are shown; save the list for all.</source>
        <translation>共 {count} 处问题，这里只显示前 {shown} 处；完整清单请保存错误清单。</translation>
    </message>
    <message>
        <source>{stem}-errors.csv</source>
        <translation>{stem}-错误清单.csv</translation>
    </message>
    <message>
        <source>Save the list of problems</source>
        <translation>保存错误清单</translation>
    </message>
    <message>
        <source>CSV for Excel (*.csv)</source>
        <translation>CSV 文件，可用 Excel 打开 (*.csv)</translation>
    </message>
    <message>
        <source>The list cannot be saved to {path}: {reason}</source>
        <translation>无法将错误清单保存到 {path}：{reason}</translation>
    </message>
    <message>
        <source>Saved as {path}; it opens in Excel.</source>
        <translation>已保存为 {path}，可用 Excel 打开。</translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <source>No password given: set {env} or run the command in a terminal.</source>
        <translation>未提供密码：请设置环境变量 {env}，或在终端中运行此命令。</translation>
    </message>
    <message>
        <source>Repeat the password: </source>
        <translation>再次输入密码：</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <source>This command needs --user NAME.</source>
        <translation>此命令需要 --user 用户名。</translation>
    </message>
    <message>
        <source>Password for {user}: </source>
        <translation>{user} 的密码：</translation>
    </message>
    <message>
        <source>Password for the administrator {user}: </source>
        <translation>管理员 {user} 的密码：</translation>
    </message>
    <message>
        <source>Created {name} ({code}) in {home}; administrator: {user}.</source>
        <translation>已在 {home} 创建 {name}（{code}）；管理员：{user}。</translation>
    </message>
    <message>
        <source>--residents must be at least 1.</source>
        <translation>--residents 至少为 1。</translation>
    </message>
    <message>
        <source>{home} already holds an institution&apos;s data; demo data goes into a new home: use --home with an empty folder.</source>
        <translation>{home} 中已有机构数据；演示数据需放在新的数据文件夹中：请用 --home 指定一个空文件夹。</translation>
    </message>
    <message>
        <source>Demo data for {name}: {residents} residents in {households} households of {villages} villages, {contracts} contracts in force ({soon} end within 30 days).</source>
        <translation>已为 {name} 生成演示数据：{villages} 个村居 {households} 户共 {residents} 名居民，有效签约 {contracts} 份（其中 {soon} 份将在 30 天内到期）。</translation>
    </message>
    <message>
        <source>Log in with one of these accounts:</source>
        <translation>可使用以下账号登录：</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Password of every demo account: {password}</source>
        <translation>所有演示账号的密码：{password}</translation>
    </message>
    <message>
        <source>Start the program with: familydoc{args} (in a source checkout: python3 dev.py run{args})</source>
        <translation>启动程序：familydoc{args}（在源代码目录中：python3 dev.py run{args}）</translation>
    </message>
    <message>
        <source>config set needs a KEY and a VALUE.</source>
        <translation>config set 需要设置项和值。</translation>
    </message>
    <message>
        <source>{key} saved.</source>
        <translation>{key} 已保存。</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>设置项</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Password for the new user {user}: </source>
        <translation>新用户 {user} 的密码：</translation>
    </message>
    <message>
        <source>User {user} added.</source>
        <translation>已添加用户 {user}。</translation>
    </message>
    <message>
        <source>New password for {user}: </source>
        <translation>{user} 的新密码：</translation>
    </message>
    <message>
        <source>Password of {user} changed.</source>
        <translation>{user} 的密码已修改。</translation>
    </message>
    <message>
        <source>User {user} unlocked.</source>
        <translation>用户 {user} 已解锁。</translation>
    </message>
    <message>
        <source>User {user} locked.</source>
        <translation>用户 {user} 已锁定。</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>locked by administrator</source>
        <translation>已被管理员锁定</translation>
    </message>
    <message>
        <source>locked until {time}</source>
        <translation>锁定至 {time}</translation>
    </message>
    <message>
        <source>active</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Family doctor contracting for township health centres.</source>
        <translation>乡镇卫生院家庭医生签约服务系统。</translation>
    </message>
    <message>
        <source>data folder (env FAMILYDOC_HOME)</source>
        <translation>数据文件夹（环境变量 FAMILYDOC_HOME）</translation>
    </message>
    <message>
        <source>database URL (env FAMILYDOC_DATABASE_URL)</source>
        <translation>数据库地址（环境变量 FAMILYDOC_DATABASE_URL）</translation>
    </message>
    <message>
        <source>language of messages</source>
        <translation>界面和提示语言</translation>
    </message>
    <message>
        <source>start the window, check it opens, and exit (for packaging tests)</source>
        <translation>打开主窗口检查能否启动后退出（用于打包测试）</translation>
    </message>
    <message>
        <source>user name to log in with (GUI)</source>
        <translation>登录用户名（图形界面）</translation>
    </message>
    <message>
        <source>create the database of an institution</source>
        <translation>为机构创建数据库</translation>
    </message>
    <message>
        <source>user name of the first administrator</source>
        <translation>第一个管理员的用户名</translation>
    </message>
    <message>
        <source>display name of the administrator</source>
        <translation>管理员的显示姓名</translation>
    </message>
    <message>
        <source>create a home filled with demo data</source>
        <translation>创建含演示数据的数据文件夹</translation>
    </message>
    <message>
        <source>read or change settings</source>
        <translation>查看或修改设置</translation>
    </message>
    <message>
        <source>show secret values</source>
        <translation>显示保密的值</translation>
    </message>
    <message>
        <source>manage accounts</source>
        <translation>管理用户账号</translation>
    </message>
    <message>
        <source>display name</source>
        <translation>显示姓名</translation>
    </message>
    <message>
        <source>your user name (password from FAMILYDOC_PASSWORD)</source>
        <translation>您的用户名（密码取自 FAMILYDOC_PASSWORD）</translation>
    </message>
    <message>
        <source>config get needs a KEY.</source>
        <translation>config get 需要设置项。</translation>
    </message>
    <message>
        <source>Interrupted; nothing more was written.</source>
        <translation>已中断，未再写入任何数据。</translation>
    </message>
    <message>
        <source>familydoc: an unexpected error happened. The details are in {log}.</source>
        <translation>familydoc：发生意外错误。详细信息见 {log}。</translation>
    </message>
    <message>
        <source>back up the database (checked copy, kept in rotation)</source>
        <translation>备份数据库（经检查的副本，按规则轮换保留）</translation>
    </message>
    <message>
        <source>write the backup to FILE instead of the backups folder</source>
        <translation>把备份写到 FILE，而不是备份文件夹</translation>
    </message>
    <message>
        <source>replace the database with a backup (administrators)</source>
        <translation>用备份替换数据库（仅管理员）</translation>
    </message>
    <message>
        <source>do not ask for confirmation</source>
        <translation>不再询问确认</translation>
    </message>
    <message>
        <source>allow a backup of another institution</source>
        <translation>允许恢复其他机构的备份</translation>
    </message>
    <message>
        <source>check the database: integrity, foreign keys, audit log chain</source>
        <translation>检查数据库：完整性、外键、审计日志哈希链</translation>
    </message>
    <message>
        <source>only the quick check done at start</source>
        <translation>只做启动时的快速检查</translation>
    </message>
    <message>
        <source>backup, restore and check work on a database file; this installation uses a database server ({url}).</source>
        <translation>backup、restore 和 check 只适用于数据库文件；本机使用的是数据库服务器（{url}）。</translation>
    </message>
    <message>
        <source>There is no backup in {folder}.</source>
        <translation>{folder} 中没有备份。</translation>
    </message>
    <message>
        <source>Newest good backup: {file} ({time}).</source>
        <translation>最近的完好备份：{file}（{time}）。</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <source>Backup checked and saved: {file} ({size} MB, {seconds} s).</source>
        <translation>备份已通过检查并保存：{file}（{size} MB，用时 {seconds} 秒）。</translation>
    </message>
    <message>
        <source>Copy in the second folder: {file}</source>
        <translation>第二备份文件夹中的副本：{file}</translation>
    </message>
    <message>
        <source>{count} older backups removed by the rotation.</source>
        <translation>按轮换规则删除了 {count} 个较旧的备份。</translation>
    </message>
    <message>
        <source>restore replaces the current data: add --yes to confirm it in a script.</source>
        <translation>恢复会替换当前数据：在脚本中使用时请加 --yes 确认。</translation>
    </message>
    <message>
        <source>Backup {file}: {institution}, {residents} residents, {contracts} contracts, last change {time}, schema {revision}.</source>
        <translation>备份 {file}：{institution}，居民 {residents} 人，签约 {contracts} 份，最后修改于 {time}，数据结构版本 {revision}。</translation>
    </message>
    <message>
        <source>This backup belongs to another institution ({code}). Replace this institution&apos;s data ({current}) with it?</source>
        <translation>这个备份属于其他机构（{code}）。确定要用它替换本机构（{current}）的数据吗？</translation>
    </message>
    <message>
        <source>The backup belongs to another institution ({code}); nothing was changed. Add --other-institution to restore it anyway.</source>
        <translation>这个备份属于其他机构（{code}），没有做任何修改。如确需恢复，请加 --other-institution。</translation>
    </message>
    <message>
        <source>The current data will be replaced by this backup (a copy of it is kept first). Restore?</source>
        <translation>当前数据将被这个备份替换（替换前会先另存一份）。确定恢复吗？</translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>没有做任何修改。</translation>
    </message>
    <message>
        <source>Restoring…</source>
        <translation>正在恢复…</translation>
    </message>
    <message>
        <source>Restored {file} ({seconds} s).</source>
        <translation>已从 {file} 恢复（用时 {seconds} 秒）。</translation>
    </message>
    <message>
        <source>The backup&apos;s schema was upgraded from {old} to {new}.</source>
        <translation>备份的数据结构已从 {old} 升级到 {new}。</translation>
    </message>
    <message>
        <source>The database as it was before is kept in {file}.</source>
        <translation>恢复前的数据库已另存为 {file}。</translation>
    </message>
    <message>
        <source>The current database is damaged; the administrator&apos;s password is checked against the backup.</source>
        <translation>当前数据库已损坏，将用备份中的管理员账号核对密码。</translation>
    </message>
    <message>
        <source>There is no database at {path}.</source>
        <translation>{path} 处没有数据库。</translation>
    </message>
    <message>
        <source>Checking {path} …</source>
        <translation>正在检查 {path} …</translation>
    </message>
    <message>
        <source>Quick check (quick_check)</source>
        <translation>快速检查（quick_check）</translation>
    </message>
    <message>
        <source>Integrity (integrity_check)</source>
        <translation>完整性检查（integrity_check）</translation>
    </message>
    <message>
        <source>Foreign keys (foreign_key_check)</source>
        <translation>外键检查（foreign_key_check）</translation>
    </message>
    <message>
        <source>Audit log hash chain</source>
        <translation>审计日志哈希链</translation>
    </message>
    <message>
        <source>PROBLEMS</source>
        <translation>发现问题</translation>
    </message>
    <message>
        <source>not present (database older than schema 0004)</source>
        <translation>没有（数据库早于 0004 版数据结构）</translation>
    </message>
    <message>
        <source>ok ({count} events)</source>
        <translation>正常（{count} 条记录）</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>The database is in order ({seconds} s).</source>
        <translation>数据库正常（用时 {seconds} 秒）。</translation>
    </message>
    <message>
        <source>The database file is damaged. Do not keep working with it: restore the newest good backup with: familydoc restore FILE --user ADMINISTRATOR</source>
        <translation>数据库文件已损坏，请不要继续使用。请用最近的完好备份恢复：familydoc restore 备份文件 --user 管理员账号</translation>
    </message>
    <message>
        <source>The audit log or the references between records were changed outside familydoc. Keep the file as evidence and ask your administrator.</source>
        <translation>审计日志或记录之间的关联在本程序之外被改动过。请保留这个文件作为证据，并告知管理员。</translation>
    </message>
    <message>
        <source>import villages, residents or contracts from a CSV or Excel file</source>
        <translation>从 CSV 或 Excel 文件导入村居、居民或签约</translation>
    </message>
    <message>
        <source>village code, name, and optionally population and year</source>
        <translation>村居代码、名称，可选常住人口和年份</translation>
    </message>
    <message>
        <source>residents (all rows or none)</source>
        <translation>居民（要么全部导入，要么都不导入）</translation>
    </message>
    <message>
        <source>the roster of residents already signed (all rows or none)</source>
        <translation>已签约居民花名册（要么全部导入，要么都不导入）</translation>
    </message>
    <message>
        <source>Signs the residents of a roster already signed on paper. Columns: 身份证号 (id_number), 团队 (team), 责任医生 (doctor), 服务包 (packages; empty: the free basic package), 签约日期 (signed_on), 开始日期 (start_date; empty: the signing date), 结束日期 (end_date; empty: one year less a day), and optionally 姓名 (name, checked against the ID number). Every row is signed with the rules of the signing form: one contract in force per resident, the doctor on the team, packages offered on the start date, capacities (only a supervisor may sign past one); minors and residents lacking capacity sign through the guardian recorded on them. All rows or none. A row whose resident already has a contract with the same team and start date that was not ended early is counted as already present and left as stored, so importing the same roster again signs nothing twice.</source>
        <translation>把已在纸面上签约的居民花名册录入系统。列：身份证号（id_number）、团队（team）、责任医生（doctor）、服务包（packages；不填即免费的基础服务包）、签约日期（signed_on）、开始日期（start_date；不填即签约日期）、结束日期（end_date；不填即一年减一天），可选姓名（name，与身份证号核对）。每一行都按签约表单的规则签约：每位居民同一天只能有一份有效签约、责任医生须是团队成员、服务包在开始日期有效、签约上限（超出上限只有主管可以签约）；未成年人和无民事行为能力人由档案中登记的监护人代签。要么全部导入，要么都不导入。居民已有同一团队、同一开始日期且未提前解约的签约时，该行记为“已存在”并保持原样，因此重复导入同一花名册不会重复签约。</translation>
    </message>
    <message>
        <source>create the teams and doctors the file names that do not exist yet, and make a named doctor a member (general practitioner) of the named team; a new team is led by the doctor of its first row (needs an account that manages teams)</source>
        <translation>新建文件中出现但系统中尚没有的团队和医生，并把行中的医生加入该行的团队（角色：全科医生）；新团队的队长是其第一行的医生（需要有管理团队权限的账号）</translation>
    </message>
    <message>
        <source>a .csv or .xlsx file</source>
        <translation>.csv 或 .xlsx 文件</translation>
    </message>
    <message>
        <source>check every row and report, without writing anything</source>
        <translation>只检查每一行并报告，不写入任何数据</translation>
    </message>
    <message>
        <source>where to write the list of problems (default: next to FILE)</source>
        <translation>错误清单的保存位置（默认与 FILE 放在同一文件夹）</translation>
    </message>
    <message>
        <source>{stem}-errors.csv</source>
        <translation>{stem}-错误清单.csv</translation>
    </message>
    <message>
        <source>Checking and importing: row {done} of {total}</source>
        <translation>正在检查并导入：第 {done} / {total} 行</translation>
    </message>
    <message>
        <source>Rows done: {done} of {total}…</source>
        <translation>已处理 {done} / {total} 行…</translation>
    </message>
    <message>
        <source>comma</source>
        <translation>逗号</translation>
    </message>
    <message>
        <source>tab</source>
        <translation>制表符</translation>
    </message>
    <message>
        <source>semicolon</source>
        <translation>分号</translation>
    </message>
    <message>
        <source>{file}: CSV, {encoding}, separated by {delimiter}</source>
        <translation>{file}：CSV 文件，{encoding} 编码，以{delimiter}分隔</translation>
    </message>
    <message>
        <source>{file}: Excel workbook, sheet {sheet}</source>
        <translation>{file}：Excel 工作簿，工作表“{sheet}”</translation>
    </message>
    <message>
        <source>{rows} rows: {new} contracts signed, {unchanged} already present; {teams} new teams, {doctors} new doctors, {members} doctors added to teams.</source>
        <translation>共 {rows} 行：新签约 {new} 份，已存在 {unchanged} 份；新建团队 {teams} 个，新增医生 {doctors} 名，{members} 名医生加入团队。</translation>
    </message>
    <message>
        <source>{rows} rows: {new} new villages, {updated} updated, {unchanged} unchanged; {populations} official populations set.</source>
        <translation>共 {rows} 行：新增村居 {new} 个，更新 {updated} 个，未变 {unchanged} 个；设置常住人口 {populations} 条。</translation>
    </message>
    <message>
        <source>{rows} rows: {new} new residents, {updated} updated, {unchanged} unchanged; {households} new households.</source>
        <translation>共 {rows} 行：新增居民 {new} 人，更新 {updated} 人，未变 {unchanged} 人；新建家庭户 {households} 户。</translation>
    </message>
    <message>
        <source>Every row is fine (nothing was written; --dry-run). {summary}</source>
        <translation>每一行都正确（--dry-run，未写入任何数据）。{summary}</translation>
    </message>
    <message>
        <source>Imported {file}. {summary}</source>
        <translation>已导入 {file}。{summary}</translation>
    </message>
    <message>
        <source>Row {row}, {column} “{value}”: {reason}</source>
        <translation>第 {row} 行，{column}“{value}”：{reason}</translation>
    </message>
    <message>
        <source>… and {count} more.</source>
        <translation>……另有 {count} 处。</translation>
    </message>
    <message>
        <source>Every problem is listed in {path}: correct the rows in your file and import it again.</source>
        <translation>全部问题已列在 {path} 中：请在原文件中改正这些行后重新导入。</translation>
    </message>
    <message>
        <source>Columns left out (not known): {columns}</source>
        <translation>未识别、将忽略的列：{columns}</translation>
    </message>
    <message>
        <source>The list of problems cannot be written to {path}: {reason}</source>
        <translation>无法将错误清单写入 {path}：{reason}</translation>
    </message>
    <message>
        <source>print contracts to a PDF</source>
        <translation>把签约协议打印成 PDF</translation>
    </message>
    <message>
        <source>the contracts with these numbers, in one PDF</source>
        <translation>这些编号的协议，合成一个 PDF</translation>
    </message>
    <message>
        <source>the PDF file</source>
        <translation>PDF 文件</translation>
    </message>
    <message>
        <source>2: a copy for the resident and one for the institution</source>
        <translation>2：居民一份、机构一份</translation>
    </message>
    <message>
        <source>{count} contract(s) written to {path}.</source>
        <translation>已将 {count} 份协议写入 {path}。</translation>
    </message>
    <message>
        <source>{value} is not a date like 2026-06-30</source>
        <translation>{value} 不是日期，应写成 2026-06-30 这样</translation>
    </message>
    <message>
        <source>export the signing summary or lists of people</source>
        <translation>导出签约汇总或人员名单</translation>
    </message>
    <message>
        <source>signing rates as of a date (CSV, XLSX or PDF)</source>
        <translation>截至某日的签约率（CSV、XLSX 或 PDF）</translation>
    </message>
    <message>
        <source>the report date (default: today)</source>
        <translation>统计日期（默认：今天）</translation>
    </message>
    <message>
        <source>start of the period shown in XLSX and PDF (default: 1 January)</source>
        <translation>XLSX 和 PDF 中统计期间的开始（默认：1 月 1 日）</translation>
    </message>
    <message>
        <source>end of the period (default: the report date)</source>
        <translation>统计期间的结束（默认：统计日期）</translation>
    </message>
    <message>
        <source>every resident, masked unless --unmasked</source>
        <translation>全部居民，除非加 --unmasked 否则脱敏</translation>
    </message>
    <message>
        <source>every contract, masked unless --unmasked</source>
        <translation>全部签约，除非加 --unmasked 否则脱敏</translation>
    </message>
    <message>
        <source>--to is before --from.</source>
        <translation>--to 早于 --from。</translation>
    </message>
    <message>
        <source>Signing summary as of {date} written to {path}.</source>
        <translation>截至 {date} 的签约汇总已写入 {path}。</translation>
    </message>
    <message>
        <source>{rows} rows written to {path} ({masking}).</source>
        <translation>已将 {rows} 行写入 {path}（{masking}）。</translation>
    </message>
    <message>
        <source>unmasked</source>
        <translation>未脱敏</translation>
    </message>
    <message>
        <source>personal data masked</source>
        <translation>个人信息已脱敏</translation>
    </message>
    <message>
        <source>new report</source>
        <translation>新报表</translation>
    </message>
    <message>
        <source>figures changed</source>
        <translation>数字有变化</translation>
    </message>
    <message>
        <source>sent again</source>
        <translation>重新上报</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>无变化</translation>
    </message>
    <message>
        <source>report the signing totals to the county server</source>
        <translation>向县级平台上报签约统计</translation>
    </message>
    <message>
        <source>show what would be sent; queue and send nothing</source>
        <translation>只显示将要上报的内容，不排队也不发送</translation>
    </message>
    <message>
        <source>{period} (final)</source>
        <translation>{period}（月末终报）</translation>
    </message>
    <message>
        <source>{period} (open month)</source>
        <translation>{period}（本月）</translation>
    </message>
    <message>
        <source>Server: {words}</source>
        <translation>服务器答复：{words}</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>Signed/denominator</source>
        <translation>签约数/分母</translation>
    </message>
    <message>
        <source>Would be queued</source>
        <translation>将排队上报</translation>
    </message>
    <message>
        <source>Dry run: nothing was queued or sent.</source>
        <translation>试运行：没有排队，也没有发送。</translation>
    </message>
    <message>
        <source>Done: {count} reports delivered to the county server.</source>
        <translation>完成：已向县级平台上报 {count} 份报表。</translation>
    </message>
    <message>
        <source>Nothing to send: the county server has the latest figures.</source>
        <translation>无需上报：县级平台已有最新数字。</translation>
    </message>
    <message>
        <source>The county server could not be reached; {count} reports stay queued for the next sync.</source>
        <translation>无法连接县级平台；{count} 份报表留在队列中，下次同步时上报。</translation>
    </message>
    <message>
        <source>Some reports need attention: see the messages above.</source>
        <translation>有报表需要处理：请看上面的提示。</translation>
    </message>
    <message>
        <source>{value} is not a number of days from 0 to 366</source>
        <translation>{value} 不是 0 到 366 之间的天数</translation>
    </message>
    <message>
        <source>residents to call: not signed, or coverage ending soon (CSV, XLSX or PDF)</source>
        <translation>需联系的居民：未签约或签约即将到期（CSV、XLSX 或 PDF）</translation>
    </message>
    <message>
        <source>a village code</source>
        <translation>村代码</translation>
    </message>
    <message>
        <source>a key population code</source>
        <translation>重点人群代码</translation>
    </message>
    <message>
        <source>the day (default: today)</source>
        <translation>统计日期（默认今天）</translation>
    </message>
    <message>
        <source>coverage ending within this many days (default 30)</source>
        <translation>签约在多少天内到期（默认 30）</translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <source>Contact with {name}</source>
        <translation>联系{name}</translation>
    </message>
    <message>
        <source>Required with the reason “Other”</source>
        <translation>原因选“其他”时必填</translation>
    </message>
    <message>
        <source>Contact again on</source>
        <translation>下次联系日期</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>联系结果</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Date of the call</source>
        <translation>联系日期</translation>
    </message>
    <message>
        <source>Earlier contacts</source>
        <translation>以往联系记录</translation>
    </message>
    <message>
        <source>next: {date}</source>
        <translation>下次：{date}</translation>
    </message>
    <message>
        <source>No earlier contact recorded.</source>
        <translation>尚无联系记录。</translation>
    </message>
</context>
<context>
    <name>ContractDialog</name>
    <message>
        <source>Contract</source>
        <translation>签约协议</translation>
    </message>
    <message>
        <source>Contract number</source>
        <translation>协议编号</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Resident</source>
        <translation>签约居民</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>签约团队</translation>
    </message>
    <message>
        <source>Responsible doctor</source>
        <translation>责任医生</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>服务期限</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>签约</translation>
    </message>
    <message>
        <source>Renewal</source>
        <translation>续约</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>解约</translation>
    </message>
    <message>
        <source>Past capacity</source>
        <translation>超额签约</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>服务包</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Insurance fund</source>
        <translation>医保基金</translation>
    </message>
    <message>
        <source>Public-health funds</source>
        <translation>公卫经费</translation>
    </message>
    <message>
        <source>Self-pay</source>
        <translation>个人自付</translation>
    </message>
    <message>
        <source>Renew…</source>
        <translation>续约…</translation>
    </message>
    <message>
        <source>End…</source>
        <translation>解约…</translation>
    </message>
    <message>
        <source>Change team…</source>
        <translation>更换团队…</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Service packages (fees as signed)</source>
        <translation>服务包（按签约时的收费）</translation>
    </message>
    <message>
        <source>{start} to {end}</source>
        <translation>{start} 至 {end}</translation>
    </message>
    <message>
        <source>{date}, {method}</source>
        <translation>{date}，{method}</translation>
    </message>
    <message>
        <source>: {name} ({relation}), {id}, {phone}</source>
        <translation>：{name}（{relation}），{id}，{phone}</translation>
    </message>
    <message>
        <source>follows {number}</source>
        <translation>续自 {number}</translation>
    </message>
    <message>
        <source>followed by {number}</source>
        <translation>已续为 {number}</translation>
    </message>
    <message>
        <source>renewal can be signed now</source>
        <translation>现在可以续约</translation>
    </message>
    <message>
        <source>no longer in force from {date}: {reason}</source>
        <translation>自 {date} 起失效：{reason}</translation>
    </message>
    <message>
        <source>approved by {name}</source>
        <translation>由 {name} 批准</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
</context>
<context>
    <name>ContractPrintDialog</name>
    <message>
        <source>Contract {number}</source>
        <translation>协议 {number}</translation>
    </message>
    <message>
        <source>{count} contracts</source>
        <translation>{count} 份协议</translation>
    </message>
    <message>
        <source>Two copies (one for the resident, one for the centre)</source>
        <translation>打印两份（居民留存一份、机构留存一份）</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Preparing %v of %m</source>
        <translation>正在准备第 %v 份，共 %m 份</translation>
    </message>
    <message>
        <source>Preparing the contracts…</source>
        <translation>正在准备协议…</translation>
    </message>
    <message>
        <source>{count} contract(s), {pages} page(s).</source>
        <translation>{count} 份协议，共 {pages} 页。</translation>
    </message>
    <message>
        <source>Stopped; nothing was printed.</source>
        <translation>已停止，没有打印。</translation>
    </message>
    <message>
        <source>Print contracts</source>
        <translation>打印协议</translation>
    </message>
    <message>
        <source>The printer could not be started.</source>
        <translation>无法启动打印机。</translation>
    </message>
    <message>
        <source>Save the contracts as PDF</source>
        <translation>将协议另存为 PDF</translation>
    </message>
    <message>
        <source>Recorded: contract {number} has been printed {count} time(s).</source>
        <translation>已记录：协议 {number} 已打印 {count} 次。</translation>
    </message>
    <message>
        <source>Recorded the printing of {count} contracts.</source>
        <translation>已记录 {count} 份协议的打印。</translation>
    </message>
</context>
<context>
    <name>ContractsPage</name>
    <message>
        <source>Contract number</source>
        <translation>协议编号</translation>
    </message>
    <message>
        <source>Resident</source>
        <translation>居民</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村居</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>Responsible doctor</source>
        <translation>责任医生</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <source>End</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Renewed as</source>
        <translation>续约协议</translation>
    </message>
    <message>
        <source>Contracts</source>
        <translation>签约管理</translation>
    </message>
    <message>
        <source>Find: contract number, resident name or initials</source>
        <translation>查找：协议编号、居民姓名或拼音首字母</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>In force</source>
        <translation>履约中</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>未生效</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>已到期</translation>
    </message>
    <message>
        <source>Terminated</source>
        <translation>已解约</translation>
    </message>
    <message>
        <source>Any end date</source>
        <translation>不限到期时间</translation>
    </message>
    <message>
        <source>Ending within {days} days</source>
        <translation>{days}天内到期</translation>
    </message>
    <message>
        <source>All teams</source>
        <translation>全部团队</translation>
    </message>
    <message>
        <source>All doctors</source>
        <translation>全部医生</translation>
    </message>
    <message>
        <source>All villages</source>
        <translation>全部村</translation>
    </message>
    <message>
        <source>Details…</source>
        <translation>详情…</translation>
    </message>
    <message>
        <source>Renew…</source>
        <translation>续约…</translation>
    </message>
    <message>
        <source>End…</source>
        <translation>解约…</translation>
    </message>
    <message>
        <source>Change team…</source>
        <translation>更换团队…</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Print a village&apos;s new contracts…</source>
        <translation>批量打印本村新签协议…</translation>
    </message>
    <message>
        <source>{count} contracts end within {days} days and are not renewed yet</source>
        <translation>{count} 份协议将在{days}天内到期，尚未续约</translation>
    </message>
    <message>
        <source>{count} contracts; those ending within 30 days and not renewed are highlighted</source>
        <translation>共 {count} 份协议；30天内到期且未续约的以黄色标出</translation>
    </message>
</context>
<context>
    <name>CountsPanel</name>
    <message>
        <source>Contracts signed</source>
        <translation>新签约</translation>
    </message>
    <message>
        <source>Already present</source>
        <translation>已存在</translation>
    </message>
    <message>
        <source>New teams</source>
        <translation>新建团队</translation>
    </message>
    <message>
        <source>New doctors</source>
        <translation>新增医生</translation>
    </message>
    <message>
        <source>Doctors added to teams</source>
        <translation>加入团队的医生</translation>
    </message>
    <message>
        <source>New villages</source>
        <translation>新增村居</translation>
    </message>
    <message>
        <source>Villages updated</source>
        <translation>更新的村居</translation>
    </message>
    <message>
        <source>Villages unchanged</source>
        <translation>未变的村居</translation>
    </message>
    <message>
        <source>Official populations set</source>
        <translation>设置常住人口</translation>
    </message>
    <message>
        <source>New residents</source>
        <translation>新增居民</translation>
    </message>
    <message>
        <source>Residents updated</source>
        <translation>更新的居民</translation>
    </message>
    <message>
        <source>Residents unchanged</source>
        <translation>未变的居民</translation>
    </message>
    <message>
        <source>New households</source>
        <translation>新建家庭户</translation>
    </message>
</context>
<context>
    <name>DamagedDatabaseDialog</name>
    <message>
        <source>The database is damaged</source>
        <translation>数据库已损坏</translation>
    </message>
    <message>
        <source>The database file {path} is damaged: the disk lost or garbled part of it.
familydoc does not write to it any more, so nothing more is lost. Restore a good backup to go on working; the damaged file is kept beside the backups.</source>
        <translation>数据库文件 {path} 已损坏：磁盘丢失或弄乱了其中的一部分内容。
为避免丢失更多数据，程序不会再写入它。请用完好的备份恢复后继续工作；损坏的文件会另存在备份文件夹中。</translation>
    </message>
    <message>
        <source>Technical details</source>
        <translation>技术细节</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员账号</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Restore this backup</source>
        <translation>用这个备份恢复</translation>
    </message>
    <message>
        <source>Choose another backup file…</source>
        <translation>选择其他备份文件…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出程序</translation>
    </message>
    <message>
        <source>No backup was found in {folder}. Choose a backup file (for example from the USB disk of the second backup folder).</source>
        <translation>在 {folder} 中没有找到备份。请选择一个备份文件（例如第二备份文件夹所在 U 盘上的备份）。</translation>
    </message>
    <message>
        <source>Newest good backup: {when} ({kind}, {size}).</source>
        <translation>最近的完好备份：{when}（{kind}，{size}）。</translation>
    </message>
    <message>
        <source>Backup file: {file}</source>
        <translation>备份文件：{file}</translation>
    </message>
    <message>
        <source>Choose a backup</source>
        <translation>选择备份</translation>
    </message>
    <message>
        <source>familydoc backups (*.sqlite3 *.damaged);;All files (*)</source>
        <translation>familydoc 备份 (*.sqlite3 *.damaged);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Enter an administrator&apos;s user name and password.</source>
        <translation>请输入管理员的用户名和密码。</translation>
    </message>
    <message>
        <source>Restored</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <source>The backup was restored. The damaged file is kept as {file}.
Please log in again.</source>
        <translation>备份已恢复。损坏的文件另存为 {file}。
请重新登录。</translation>
    </message>
</context>
<context>
    <name>DoctorDialog</name>
    <message>
        <source>New doctor</source>
        <translation>新增医生</translation>
    </message>
    <message>
        <source>Doctor</source>
        <translation>医生</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Works here (can be chosen for contracts)</source>
        <translation>在岗（签约时可选）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>职称</translation>
    </message>
    <message>
        <source>Practice licence no.</source>
        <translation>执业证书编号</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>所在机构</translation>
    </message>
    <message>
        <source>Capacity (residents)</source>
        <translation>签约上限（人）</translation>
    </message>
</context>
<context>
    <name>EditAccountDialog</name>
    <message>
        <source>Account {user}</source>
        <translation>账号 {user}</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
</context>
<context>
    <name>EndContractDialog</name>
    <message>
        <source>End the contract</source>
        <translation>解除协议</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>解约原因</translation>
    </message>
    <message>
        <source>No longer in force from</source>
        <translation>失效日期（当日起不再履约）</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>The contract is kept with its reason; from this date the resident counts as not signed. To move the resident to another team use “Change team”.</source>
        <translation>协议连同解约原因一并保留；自该日起该居民计为未签约。如需转到其他团队，请用“更换团队”。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>{number}: {name}, {team}, {start} to {end}</source>
        <translation>{number}：{name}，{team}，{start} 至 {end}</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Something went wrong and the action was not completed. Nothing was half-saved. If it happens again, give the details to your administrator.</source>
        <translation>出现问题，操作未完成，也没有保存任何不完整的数据。如再次出现，请把详细信息告诉管理员。</translation>
    </message>
    <message>
        <source>familydoc</source>
        <translation>家庭医生签约服务系统</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>This account is locked. Ask the administrator to unlock it.</source>
        <translation>此账号已被锁定，请联系管理员解锁。</translation>
    </message>
    <message>
        <source>view residents</source>
        <translation>查看居民信息</translation>
    </message>
    <message>
        <source>register or change residents</source>
        <translation>登记或修改居民信息</translation>
    </message>
    <message>
        <source>see full ID numbers and phones</source>
        <translation>查看完整的身份证号和电话</translation>
    </message>
    <message>
        <source>export lists</source>
        <translation>导出名单</translation>
    </message>
    <message>
        <source>export unmasked lists</source>
        <translation>导出未脱敏的名单</translation>
    </message>
    <message>
        <source>sign or renew contracts</source>
        <translation>签约或续约</translation>
    </message>
    <message>
        <source>end contracts</source>
        <translation>解约</translation>
    </message>
    <message>
        <source>manage teams, doctors and packages</source>
        <translation>管理团队、医生和服务包</translation>
    </message>
    <message>
        <source>approve signing past a team&apos;s capacity</source>
        <translation>批准超出团队签约容量的签约</translation>
    </message>
    <message>
        <source>view statistics</source>
        <translation>查看统计</translation>
    </message>
    <message>
        <source>send reports to the county</source>
        <translation>向县级平台上报</translation>
    </message>
    <message>
        <source>view the audit log</source>
        <translation>查看审计日志</translation>
    </message>
    <message>
        <source>make backups</source>
        <translation>备份数据</translation>
    </message>
    <message>
        <source>restore backups</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <source>manage user accounts</source>
        <translation>管理用户账号</translation>
    </message>
    <message>
        <source>change settings</source>
        <translation>修改设置</translation>
    </message>
    <message>
        <source>set signing-rate targets</source>
        <translation>设置签约率目标</translation>
    </message>
    <message>
        <source>Your account ({username}) is not allowed to {action}.</source>
        <translation>您的账号（{username}）无权{action}。</translation>
    </message>
    <message>
        <source>A user name must be 1 to 40 characters long and contain no spaces.</source>
        <translation>用户名须为 1 到 40 个字符，且不能包含空格。</translation>
    </message>
    <message>
        <source>A password needs at least {count} characters.</source>
        <translation>密码至少需要 {count} 个字符。</translation>
    </message>
    <message>
        <source>Unknown role {role}. Roles: {roles}</source>
        <translation>未知角色 {role}。可用角色：{roles}</translation>
    </message>
    <message>
        <source>There is no user {username}.</source>
        <translation>没有用户 {username}。</translation>
    </message>
    <message>
        <source>Only an administrator can add user accounts.</source>
        <translation>只有管理员可以添加用户账号。</translation>
    </message>
    <message>
        <source>The user name {username} is taken.</source>
        <translation>用户名 {username} 已被使用。</translation>
    </message>
    <message>
        <source>The current password is not correct.</source>
        <translation>当前密码不正确。</translation>
    </message>
    <message>
        <source>The last administrator account cannot be locked.</source>
        <translation>不能锁定最后一个管理员账号。</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <source>Too many wrong passwords: this account is locked for {minutes} more minutes.</source>
        <translation>密码错误次数过多：此账号还将锁定 {minutes} 分钟。</translation>
    </message>
    <message>
        <source>Too many wrong passwords: this account is locked for {minutes} minutes.</source>
        <translation>密码错误次数过多：此账号已锁定 {minutes} 分钟。</translation>
    </message>
    <message>
        <source>The settings file {path} is damaged: {reason}</source>
        <translation>设置文件 {path} 已损坏：{reason}</translation>
    </message>
    <message>
        <source>Unknown setting {name}. Known settings: {known}</source>
        <translation>未知设置项 {name}。可用设置项：{known}</translation>
    </message>
    <message>
        <source>The setting {name} needs a whole number.</source>
        <translation>设置项 {name} 需要填写整数。</translation>
    </message>
    <message>
        <source>The setting {name} cannot be negative.</source>
        <translation>设置项 {name} 不能为负数。</translation>
    </message>
    <message>
        <source>The setting {name} must be one of: {choices}</source>
        <translation>设置项 {name} 只能是以下之一：{choices}</translation>
    </message>
    <message>
        <source>The folder of the database does not exist: {path}</source>
        <translation>数据库所在的文件夹不存在：{path}</translation>
    </message>
    <message>
        <source>The database file cannot be read: {reason}</source>
        <translation>无法读取数据库文件：{reason}</translation>
    </message>
    <message>
        <source>The database was made by a newer version of familydoc (schema {revision}); please install the newer version.</source>
        <translation>此数据库由更新版本的程序创建（结构版本 {revision}），请安装新版本。</translation>
    </message>
    <message>
        <source>The ID number {value} was turned into a number by Excel and lost its last digits. Format the column as text and type the number again.</source>
        <translation>身份证号 {value} 被 Excel 转成了数字，末几位已丢失。请将该列设为“文本”格式后重新录入。</translation>
    </message>
    <message>
        <source>The ID number {value} must have 18 characters: 17 digits and a digit or X at the end.</source>
        <translation>身份证号 {value} 应为 18 位：前 17 位为数字，最后一位为数字或 X。</translation>
    </message>
    <message>
        <source>The ID number {value} ends in zeros and its check digit is wrong: Excel probably cut it to 15 digits. Format the column as text and type the number again.</source>
        <translation>身份证号 {value} 末尾为 0 且校验位不正确：可能被 Excel 截成了 15 位有效数字。请将该列设为“文本”格式后重新录入。</translation>
    </message>
    <message>
        <source>The check digit of the ID number {value} is wrong: please check it against the card.</source>
        <translation>身份证号 {value} 的校验位不正确，请对照身份证核对。</translation>
    </message>
    <message>
        <source>The ID number {value} holds no valid birth date.</source>
        <translation>身份证号 {value} 中的出生日期无效。</translation>
    </message>
    <message>
        <source>The ID number {value} starts with an unknown area code.</source>
        <translation>身份证号 {value} 的地区码不存在。</translation>
    </message>
    <message>
        <source>The institution code must be 1 to 32 letters or digits (it starts every contract number).</source>
        <translation>机构编码须为 1 到 32 位字母或数字（它是每个协议编号的开头）。</translation>
    </message>
    <message>
        <source>This database already belongs to an institution.</source>
        <translation>此数据库已属于一个机构。</translation>
    </message>
    <message>
        <source>The institution needs a name.</source>
        <translation>请填写机构名称。</translation>
    </message>
    <message>
        <source>The name is missing.</source>
        <translation>缺少姓名。</translation>
    </message>
    <message>
        <source>The name is longer than 50 characters.</source>
        <translation>姓名超过 50 个字符。</translation>
    </message>
    <message>
        <source>The sex does not match the ID number, which says {sex}.</source>
        <translation>性别与身份证号不符，身份证号显示为{sex}。</translation>
    </message>
    <message>
        <source>The birth date does not match the ID number, which says {date}.</source>
        <translation>出生日期与身份证号不符，身份证号显示为 {date}。</translation>
    </message>
    <message>
        <source>This ID number is already registered: {name} of {village} (resident no. {id}).</source>
        <translation>此身份证号已登记：{village}的{name}（居民编号 {id}）。</translation>
    </message>
    <message>
        <source>Without an ID number, the sex (男 or 女) must be given.</source>
        <translation>没有身份证号时，必须填写性别（男或女）。</translation>
    </message>
    <message>
        <source>Without an ID number, the birth date must be given.</source>
        <translation>没有身份证号时，必须填写出生日期。</translation>
    </message>
    <message>
        <source>The birth date is in the future.</source>
        <translation>出生日期晚于今天。</translation>
    </message>
    <message>
        <source>The phone number {value} is neither an 11-digit mobile number nor a landline with its area code.</source>
        <translation>电话号码 {value} 既不是 11 位手机号，也不是带区号的固定电话。</translation>
    </message>
    <message>
        <source>The village is missing.</source>
        <translation>缺少村居。</translation>
    </message>
    <message>
        <source>There is no village {value}: use its 12-digit code or its exact name.</source>
        <translation>没有村居“{value}”：请填写 12 位村居代码或准确的村居名称。</translation>
    </message>
    <message>
        <source>Several villages are called {value}: use the village code.</source>
        <translation>有多个村居叫“{value}”：请填写村居代码。</translation>
    </message>
    <message>
        <source>Unknown key population: {value}.</source>
        <translation>未知的重点人群：{value}。</translation>
    </message>
    <message>
        <source>A resident without an ID number or lacking capacity needs a guardian: enter the guardian&apos;s name and phone.</source>
        <translation>没有身份证号或无民事行为能力的居民需要监护人：请填写监护人姓名和电话。</translation>
    </message>
    <message>
        <source>Enter the guardian&apos;s phone number.</source>
        <translation>请填写监护人电话。</translation>
    </message>
    <message>
        <source>The move-in date must lie between the birth date and today.</source>
        <translation>迁入日期必须在出生日期和今天之间。</translation>
    </message>
    <message>
        <source>{name} already has a contract in force in that period ({number}, {start} to {end}): a resident can have only one contract in force on any day.</source>
        <translation>{name} 在这段时间已有生效的协议（{number}，{start} 至 {end}）：同一居民在任何一天只能有一份生效的协议。</translation>
    </message>
    <message>
        <source>There is no contract to renew.</source>
        <translation>没有可续约的协议。</translation>
    </message>
    <message>
        <source>This resident was signed at another workstation a moment ago: a resident can have only one contract in force on any day. Refresh the list to see that contract.</source>
        <translation>该居民刚刚在另一台电脑上签约：同一居民同一天只能有一份有效协议。请刷新列表查看该协议。</translation>
    </message>
    <message>
        <source>{name} would have {signed} contracts for a capacity of {capacity}: signing past the capacity needs a supervisor&apos;s confirmation.</source>
        <translation>{name}签约后将达 {signed} 人，超过上限 {capacity} 人：超额签约须经主管确认。</translation>
    </message>
    <message>
        <source>There is no such contract.</source>
        <translation>没有这份协议。</translation>
    </message>
    <message>
        <source>There is no contract {number}.</source>
        <translation>没有编号为 {number} 的协议。</translation>
    </message>
    <message>
        <source>There is no resident no. {id}.</source>
        <translation>没有编号为 {id} 的居民。</translation>
    </message>
    <message>
        <source>The contract numbers of {year} are used up (999999 contracts).</source>
        <translation>{year} 年的协议编号已用完（999999 份）。</translation>
    </message>
    <message>
        <source>The supervisor&apos;s confirmation is not valid any more.</source>
        <translation>主管的确认已失效。</translation>
    </message>
    <message>
        <source>{name} is marked as moved out or deceased and cannot be signed.</source>
        <translation>{name}已登记为迁出或死亡，不能签约。</translation>
    </message>
    <message>
        <source>The signing date is in the future.</source>
        <translation>签约日期晚于今天。</translation>
    </message>
    <message>
        <source>The contract cannot start before the resident&apos;s birth.</source>
        <translation>协议开始日期不能早于居民出生日期。</translation>
    </message>
    <message>
        <source>The end date is before the start date.</source>
        <translation>结束日期早于开始日期。</translation>
    </message>
    <message>
        <source>A contract runs for at most {years} years.</source>
        <translation>一份协议最长 {years} 年。</translation>
    </message>
    <message>
        <source>{name} would have {signed} contracts for a capacity of {capacity}: only a supervisor may sign past a capacity, so a supervisor has to import this file.</source>
        <translation>{name}将有 {signed} 份签约，超过上限 {capacity}：只有主管可以超出上限签约，请由主管导入此文件。</translation>
    </message>
    <message>
        <source>The ID number is missing: the roster finds each resident by their ID number.</source>
        <translation>缺少身份证号：花名册按身份证号找到每位居民。</translation>
    </message>
    <message>
        <source>No resident with the ID number {value} is registered: register or import the resident first.</source>
        <translation>没有登记身份证号为 {value} 的居民：请先登记或导入该居民。</translation>
    </message>
    <message>
        <source>The ID number of this row belongs to {registered}, not to {name}: check the ID number and the name.</source>
        <translation>本行的身份证号属于{registered}，而不是{name}：请核对身份证号和姓名。</translation>
    </message>
    <message>
        <source>The team is missing.</source>
        <translation>缺少团队。</translation>
    </message>
    <message>
        <source>The responsible doctor is missing.</source>
        <translation>缺少责任医生。</translation>
    </message>
    <message>
        <source>There is no service package called {name}: write the package names as on the packages page, separated by 、 or commas (an empty cell means the free basic package).</source>
        <translation>没有名为“{name}”的服务包：请按服务包页面上的名称填写，多个用顿号或逗号分隔（不填即免费的基础服务包）。</translation>
    </message>
    <message>
        <source>The signing date is missing.</source>
        <translation>缺少签约日期。</translation>
    </message>
    <message>
        <source>Your account may not add teams or doctors or change a team&apos;s members, which this row needs for {name}: ask a supervisor to import the file, or to set up {name} on the teams page first.</source>
        <translation>您的账号不能新建团队、医生或调整团队成员，而本行的“{name}”需要这样做：请由主管导入此文件，或请主管先在团队页面中设置好“{name}”。</translation>
    </message>
    <message>
        <source>There is no team called {name}. Create it on the teams page first, or choose to create the missing teams and doctors when importing.</source>
        <translation>没有名为“{name}”的团队。请先在团队页面中创建，或在导入时选择创建缺少的团队和医生。</translation>
    </message>
    <message>
        <source>There is no doctor called {name}. Add them on the teams page first, or choose to create the missing teams and doctors when importing.</source>
        <translation>没有名为“{name}”的医生。请先在团队页面中添加，或在导入时选择创建缺少的团队和医生。</translation>
    </message>
    <message>
        <source>Several doctors are called {name}: on the teams page make the one meant (and only that one) a member of {team}, then import again.</source>
        <translation>有多名医生叫“{name}”：请在团队页面中只把要指定的那一位加入“{team}”，然后重新导入。</translation>
    </message>
    <message>
        <source>Row {row} of this file already signs this resident for a period that overlaps this one ({start} to {end}).</source>
        <translation>本文件第 {row} 行已为该居民签约，期限（{start} 至 {end}）与本行重叠。</translation>
    </message>
    <message>
        <source>{name} signs through a guardian (a minor, or recorded as lacking capacity), but the resident&apos;s record has no complete guardian: record the guardian&apos;s name, relation, ID number and phone first.</source>
        <translation>{name}须由监护人代签（未成年人或登记为无民事行为能力），但居民档案中的监护人信息不完整：请先登记监护人的姓名、关系、身份证号和电话。</translation>
    </message>
    <message>
        <source>Choose the family doctor team.</source>
        <translation>请选择家庭医生团队。</translation>
    </message>
    <message>
        <source>The team {team} is closed.</source>
        <translation>团队“{team}”已撤销。</translation>
    </message>
    <message>
        <source>Choose the responsible doctor.</source>
        <translation>请选择责任医生。</translation>
    </message>
    <message>
        <source>{doctor} is not a member of {team}: the responsible doctor must be one of the team&apos;s members.</source>
        <translation>{doctor}不是“{team}”的成员：责任医生必须是本团队成员。</translation>
    </message>
    <message>
        <source>{doctor} no longer works here.</source>
        <translation>{doctor}已不在岗。</translation>
    </message>
    <message>
        <source>Choose how the contract is signed: in person or by a guardian.</source>
        <translation>请选择签约方式：本人签约或监护人代签。</translation>
    </message>
    <message>
        <source>{name} is recorded as lacking capacity and signs through a guardian.</source>
        <translation>{name}已登记为无民事行为能力，须由监护人代签。</translation>
    </message>
    <message>
        <source>{name} is {age} years old: a minor signs through a guardian.</source>
        <translation>{name}现年 {age} 岁：未成年人须由监护人代签。</translation>
    </message>
    <message>
        <source>The package {name} is not offered on {date}.</source>
        <translation>服务包“{name}”在 {date} 不提供。</translation>
    </message>
    <message>
        <source>Choose at least one service package.</source>
        <translation>请至少选择一个服务包。</translation>
    </message>
    <message>
        <source>Signing through a guardian needs the guardian&apos;s name, relation, ID number and phone.</source>
        <translation>监护人代签须填写监护人姓名、关系、身份证号和电话。</translation>
    </message>
    <message>
        <source>The guardian&apos;s ID number is the resident&apos;s own.</source>
        <translation>监护人身份证号与居民本人相同。</translation>
    </message>
    <message>
        <source>The guardian&apos;s name or relation is too long.</source>
        <translation>监护人姓名或关系过长。</translation>
    </message>
    <message>
        <source>Contract {number} was already renewed as {next}.</source>
        <translation>协议 {number} 已续约为 {next}。</translation>
    </message>
    <message>
        <source>Contract {number} was ended early; sign a new contract instead.</source>
        <translation>协议 {number} 已提前解约，请重新签约。</translation>
    </message>
    <message>
        <source>Contract {number} ends on {end}: renewal is offered from {opens}.</source>
        <translation>协议 {number} 于 {end} 到期：{opens} 起可以续约。</translation>
    </message>
    <message>
        <source>Contract {number} ended on {end}, more than {days} days ago: sign a new contract instead.</source>
        <translation>协议 {number} 已于 {end} 到期，超过 {days} 天：请重新签约。</translation>
    </message>
    <message>
        <source>{doctor} is no longer on the team: open the renewal form and choose the responsible doctor.</source>
        <translation>{doctor}已不在该团队：请打开续约表选择责任医生。</translation>
    </message>
    <message>
        <source>A renewal is for the same resident.</source>
        <translation>续约只能是同一居民。</translation>
    </message>
    <message>
        <source>Use “Change team” to move a resident to another team.</source>
        <translation>转到其他团队请用“更换团队”。</translation>
    </message>
    <message>
        <source>Choose the reason for ending.</source>
        <translation>请选择解约原因。</translation>
    </message>
    <message>
        <source>Say in the note why the contract ends.</source>
        <translation>请在备注中说明解约原因。</translation>
    </message>
    <message>
        <source>The note has at most 200 characters.</source>
        <translation>备注最多 200 字。</translation>
    </message>
    <message>
        <source>Contract {number} was already ended on {date}.</source>
        <translation>协议 {number} 已于 {date} 解约。</translation>
    </message>
    <message>
        <source>The contract runs from {start} to {end}: the date it ends must lie in that period.</source>
        <translation>协议期限为 {start} 至 {end}：解约日期须在此期间内。</translation>
    </message>
    <message>
        <source>Choose a team other than the contract&apos;s own.</source>
        <translation>请选择与原协议不同的团队。</translation>
    </message>
    <message>
        <source>Choose moved out or deceased.</source>
        <translation>请选择“已迁出”或“已死亡”。</translation>
    </message>
    <message>
        <source>{name} is already marked as moved out or deceased.</source>
        <translation>{name} 已标记为迁出或死亡。</translation>
    </message>
    <message>
        <source>The date must lie between the birth date and today.</source>
        <translation>日期必须在出生日期和今天之间。</translation>
    </message>
    <message>
        <source>{name} has not left.</source>
        <translation>{name} 仍在册。</translation>
    </message>
    <message>
        <source>There is no such household.</source>
        <translation>没有这个户。</translation>
    </message>
    <message>
        <source>The start date is after the end date.</source>
        <translation>开始日期晚于结束日期。</translation>
    </message>
    <message>
        <source>Export to a .csv or .xlsx file (not {suffix}).</source>
        <translation>请导出为 .csv 或 .xlsx 文件（不能是 {suffix}）。</translation>
    </message>
    <message>
        <source>There is no file {path}.</source>
        <translation>文件 {path} 不存在。</translation>
    </message>
    <message>
        <source>The copy did not pass the integrity check ({detail}); the database itself may be damaged. Run familydoc check.</source>
        <translation>备份副本没有通过完整性检查（{detail}），数据库本身可能已损坏。请运行 familydoc check 检查。</translation>
    </message>
    <message>
        <source>The backup did not fit on the disk of {folder} (it needs about {needed} MB). Nothing of the database was changed. Free some space and try again.</source>
        <translation>{folder} 所在磁盘空间不足，备份没有完成（约需 {needed} MB）。数据库没有任何改变。请清理出空间后再试。</translation>
    </message>
    <message>
        <source>The backup could not be written to {folder}: {reason}. Nothing of the database was changed.</source>
        <translation>无法把备份写入 {folder}：{reason}。数据库没有任何改变。</translation>
    </message>
    <message>
        <source>The backup folder {folder} does not exist (is the disk plugged in?).</source>
        <translation>备份文件夹 {folder} 不存在（磁盘是否已插好？）。</translation>
    </message>
    <message>
        <source>Not enough space for the backup on {folder}: it needs about {needed} MB and {free} MB are free. Nothing of the database was changed.</source>
        <translation>{folder} 空间不足，无法备份：约需 {needed} MB，只剩 {free} MB。数据库没有任何改变。</translation>
    </message>
    <message>
        <source>The second backup folder {folder} is not available (is the USB disk plugged in, or the shared folder reachable?). The backup on this computer was made.</source>
        <translation>第二备份文件夹 {folder} 不可用（U 盘是否已插上？共享文件夹能否访问？）。本机上的备份已完成。</translation>
    </message>
    <message>
        <source>The second backup folder {folder} is full: the backup needs {needed} MB and {free} MB are free. The backup on this computer was made.</source>
        <translation>第二备份文件夹 {folder} 已满：备份需要 {needed} MB，只剩 {free} MB。本机上的备份已完成。</translation>
    </message>
    <message>
        <source>The copy in the second backup folder {folder} is damaged (a failing disk?); it was removed.</source>
        <translation>第二备份文件夹 {folder} 中的副本已损坏（磁盘可能有故障），已将其删除。</translation>
    </message>
    <message>
        <source>The second backup folder {folder} is full: the backup needs {needed} MB. The backup on this computer was made.</source>
        <translation>第二备份文件夹 {folder} 已满：备份需要 {needed} MB。本机上的备份已完成。</translation>
    </message>
    <message>
        <source>The second backup folder {folder} cannot be written: {reason}. The backup on this computer was made.</source>
        <translation>无法写入第二备份文件夹 {folder}：{reason}。本机上的备份已完成。</translation>
    </message>
    <message>
        <source>familydoc makes backups of a database file only; a database server is backed up with the server&apos;s own tools.</source>
        <translation>本程序只备份数据库文件；数据库服务器请用服务器自带的工具备份。</translation>
    </message>
    <message>
        <source>{path} already exists; choose a new file name for the backup.</source>
        <translation>{path} 已存在，请为备份换一个新文件名。</translation>
    </message>
    <message>
        <source>{path} is not a familydoc database or backup (it holds no familydoc data).</source>
        <translation>{path} 不是本程序的数据库或备份（其中没有本程序的数据）。</translation>
    </message>
    <message>
        <source>{path} is damaged ({detail}) and cannot be restored. Choose an older backup.</source>
        <translation>{path} 已损坏（{detail}），不能用于恢复。请选择更早的备份。</translation>
    </message>
    <message>
        <source>{path} was made by a newer version of familydoc (schema {revision}); install that version to restore it.</source>
        <translation>{path} 由更新版本的 familydoc 生成（数据结构 {revision}），请安装该版本后再恢复。</translation>
    </message>
    <message>
        <source>{path} cannot be read as a familydoc backup: {reason}</source>
        <translation>无法把 {path} 读作本程序的备份：{reason}</translation>
    </message>
    <message>
        <source>Only an administrator can restore a backup; {username} is not one.</source>
        <translation>只有管理员可以恢复备份，{username} 不是管理员。</translation>
    </message>
    <message>
        <source>This is the database in use; choose a backup file.</source>
        <translation>这是正在使用的数据库，请选择一个备份文件。</translation>
    </message>
    <message>
        <source>{path} belongs to another institution ({name}, code {code}); this database belongs to {current}. Confirm that you want to replace it with the other institution&apos;s data.</source>
        <translation>{path} 属于其他机构（{name}，编码 {code}），本数据库属于 {current}。如确实要用其他机构的数据替换，请先确认。</translation>
    </message>
    <message>
        <source>{path} is damaged and cannot be restored ({reason}). Choose an older backup.</source>
        <translation>{path} 已损坏，不能用于恢复（{reason}）。请选择更早的备份。</translation>
    </message>
    <message>
        <source>No contract number was given.</source>
        <translation>没有给出协议编号。</translation>
    </message>
    <message>
        <source>At most {count} contracts can be printed at once; split the batch.</source>
        <translation>一次最多打印 {count} 份协议，请分批打印。</translation>
    </message>
    <message>
        <source>There is no contract with the number {numbers}.</source>
        <translation>没有编号为 {numbers} 的协议。</translation>
    </message>
    <message>
        <source>The file has no column for {fields}. Name the header of that column as in the import template, or choose the column in the import wizard.</source>
        <translation>文件中没有“{fields}”列。请按导入模板填写该列的表头，或在导入向导中选择对应的列。</translation>
    </message>
    <message>
        <source>{bad} of {rows} rows have problems ({problems} in all); nothing was imported.</source>
        <translation>{rows} 行中有 {bad} 行有问题（共 {problems} 处），没有导入任何数据。</translation>
    </message>
    <message>
        <source>{value} is not a date: write it like 1949-12-31 (or 1949/12/31, 19491231).</source>
        <translation>“{value}”不是有效日期：请写成 1949-12-31（或 1949/12/31、19491231）。</translation>
    </message>
    <message>
        <source>Row {row} of this file is the same resident: keep one of the two rows.</source>
        <translation>与本文件第 {row} 行是同一居民：两行只保留一行。</translation>
    </message>
    <message>
        <source>The village code {value} was turned into a number by Excel. Format the column as text and type the 12 digits again.</source>
        <translation>村居代码 {value} 被 Excel 转成了数字。请将该列设为“文本”格式后重新录入 12 位代码。</translation>
    </message>
    <message>
        <source>The village code {value} must have 12 digits (the statistical division code of the village).</source>
        <translation>村居代码“{value}”应为 12 位数字（村居的统计用区划代码）。</translation>
    </message>
    <message>
        <source>The village name is missing.</source>
        <translation>缺少村居名称。</translation>
    </message>
    <message>
        <source>The village name is longer than 100 characters.</source>
        <translation>村居名称超过 100 个字。</translation>
    </message>
    <message>
        <source>Row {row} gives this village code the name {name}.</source>
        <translation>第 {row} 行给该村居代码填写的名称是“{name}”，两处不一致。</translation>
    </message>
    <message>
        <source>Give the official population and its year together.</source>
        <translation>常住人口和年份须同时填写。</translation>
    </message>
    <message>
        <source>The population {value} is not a whole number.</source>
        <translation>常住人口“{value}”不是整数。</translation>
    </message>
    <message>
        <source>The year {value} must be a year like {example}.</source>
        <translation>年份“{value}”无效，应写成如 {example} 这样的年份。</translation>
    </message>
    <message>
        <source>Row {row} already gives this village&apos;s population for {year}.</source>
        <translation>第 {row} 行已填写该村居 {year} 年的常住人口。</translation>
    </message>
    <message>
        <source>familydoc is already running with the database {database}. Close the other window first (only one program may use a database at a time).</source>
        <translation>familydoc 已在使用数据库 {database}。请先关闭另一个程序窗口（同一时间只能有一个程序使用一个数据库）。</translation>
    </message>
    <message>
        <source>familydoc is already running with the database {database}: on computer {host}, used by {user} since {since} (process {pid}). Close that program first (only one program may use a database at a time).</source>
        <translation>familydoc 已在运行并使用数据库 {database}：计算机 {host}，使用人 {user}，自 {since} 起（进程 {pid}）。请先关闭那个程序（同一时间只能有一个程序使用一个数据库）。</translation>
    </message>
    <message>
        <source>The file cannot be read as a database: {reason}</source>
        <translation>无法把该文件读作数据库：{reason}</translation>
    </message>
    <message>
        <source>SQLite reports damage: {detail}</source>
        <translation>SQLite 报告损坏：{detail}</translation>
    </message>
    <message>
        <source>Row {rowid} of table {table} points to a missing row of {parent}.</source>
        <translation>表 {table} 的第 {rowid} 行指向 {parent} 中不存在的记录。</translation>
    </message>
    <message>
        <source>{count} rows of table {table} point to missing rows of {parent}.</source>
        <translation>表 {table} 共有 {count} 行指向 {parent} 中不存在的记录。</translation>
    </message>
    <message>
        <source>Audit event {event_id} was changed after it was written.</source>
        <translation>审计事件 {event_id} 在写入后被修改过。</translation>
    </message>
    <message>
        <source>The audit log breaks before event {event_id}: an event before it was removed or replaced.</source>
        <translation>审计日志在事件 {event_id} 之前断开：它前面的某条记录被删除或替换过。</translation>
    </message>
    <message>
        <source>Audit event {event_id} was added outside familydoc (it has no seal).</source>
        <translation>审计事件 {event_id} 是在本程序之外添加的（没有哈希签章）。</translation>
    </message>
    <message>
        <source>The newest audit events were removed: the log should end with event {expected_id} ({expected} events) but ends with event {found_id} ({found} events).</source>
        <translation>最新的审计记录被删除了：日志应以事件 {expected_id} 结束（共 {expected} 条），实际以事件 {found_id} 结束（共 {found} 条）。</translation>
    </message>
    <message>
        <source>The protection of the audit log was removed from the database: trigger {trigger} is missing.</source>
        <translation>审计日志的保护已从数据库中被删除：触发器 {trigger} 不存在。</translation>
    </message>
    <message>
        <source>The protection of the audit log was replaced: trigger {trigger} does not hold the SQL familydoc created (it may do nothing).</source>
        <translation>审计日志的保护已被替换：触发器 {trigger} 的 SQL 与 familydoc 创建的不一致（它可能不起任何作用）。</translation>
    </message>
    <message>
        <source>A trigger familydoc did not create is on the audit log: {trigger}. It can drop or change events before they are sealed.</source>
        <translation>审计日志上有一个不是 familydoc 创建的触发器：{trigger}。它可能在事件封存之前丢弃或篡改事件。</translation>
    </message>
    <message>
        <source>… and {count} more breaks of the audit log.</source>
        <translation>……另有 {count} 处审计日志断开。</translation>
    </message>
    <message>
        <source>The disk is full, so this action was not saved. Everything saved before it is intact. Free some space on the disk of {path} (or move old files away) and try again.</source>
        <translation>磁盘已满，这次操作没有保存。之前保存的数据完好无损。请清理 {path} 所在磁盘的空间（或移走旧文件）后再试。</translation>
    </message>
    <message>
        <source>The database file is damaged ({reason}). familydoc stops writing to it so nothing more is lost. Restore the newest good backup (Settings, or familydoc restore).</source>
        <translation>数据库文件已损坏（{reason}）。为避免丢失更多数据，程序已停止写入。请用最近的完好备份恢复（在“系统设置”中，或使用 familydoc restore）。</translation>
    </message>
    <message>
        <source>The database {path} is on a network share ({kind}). familydoc keeps its data safe only on a disk of this computer: over a network, two computers can damage the file. Keep the database on this PC&apos;s own disk, or, for several workstations, ask for a shared database server (database.url).</source>
        <translation>数据库 {path} 位于网络共享文件夹上（{kind}）。本程序只有在本机磁盘上才能保证数据安全：通过网络使用时，两台电脑可能把文件损坏。请把数据库放在本机自己的磁盘上；如需多台电脑同时使用，请申请配置共享的数据库服务器（database.url）。</translation>
    </message>
    <message>
        <source>The disk could not read or write the database ({reason}), so this action was not saved. Everything saved before it is intact. If this happens again, the disk may be failing: make a backup to another disk now.</source>
        <translation>磁盘无法读写数据库（{reason}），这次操作没有保存。之前保存的数据完好无损。如果再次出现，磁盘可能有故障：请立即备份到另一个磁盘。</translation>
    </message>
    <message>
        <source>The file is neither UTF-8 nor GB18030 (GBK) text (unreadable bytes at position {position}). Open it in Excel and save it again as &quot;CSV UTF-8&quot; or as an Excel workbook.</source>
        <translation>文件既不是 UTF-8 也不是 GB18030（GBK）编码的文本（第 {position} 个字节处无法识别）。请用 Excel 打开后另存为“CSV UTF-8”或 Excel 工作簿。</translation>
    </message>
    <message>
        <source>The file is empty.</source>
        <translation>文件是空的。</translation>
    </message>
    <message>
        <source>{file} cannot be read as an Excel workbook (.xlsx): {reason}</source>
        <translation>{file} 无法作为 Excel 工作簿（.xlsx）读取：{reason}</translation>
    </message>
    <message>
        <source>{file} is an old Excel 97-2003 workbook (.xls). Open it in Excel and save it as an Excel workbook (.xlsx) or as CSV UTF-8.</source>
        <translation>{file} 是旧版 Excel 97-2003 工作簿（.xls）。请用 Excel 打开后另存为 Excel 工作簿（.xlsx）或 CSV UTF-8。</translation>
    </message>
    <message>
        <source>There is no file {file}.</source>
        <translation>找不到文件 {file}。</translation>
    </message>
    <message>
        <source>{file} cannot be read: {reason}</source>
        <translation>无法读取 {file}：{reason}</translation>
    </message>
    <message>
        <source>Enter a phone number.</source>
        <translation>请输入电话号码。</translation>
    </message>
    <message>
        <source>An institution&apos;s phone is 5 to 20 digits, with dashes if you like.</source>
        <translation>机构电话为 5 至 20 位数字，可带“-”。</translation>
    </message>
    <message>
        <source>A capacity must be a number from 0 to 100000.</source>
        <translation>签约上限须为 0 至 100000 之间的数。</translation>
    </message>
    <message>
        <source>This database does not belong to an institution yet.</source>
        <translation>本数据库尚未初始化为某个机构。</translation>
    </message>
    <message>
        <source>An institution needs a name of at most 100 characters.</source>
        <translation>请填写机构名称（最多 100 字）。</translation>
    </message>
    <message>
        <source>There is no such institution.</source>
        <translation>没有这个机构。</translation>
    </message>
    <message>
        <source>Choose a village clinic or a partner hospital as the kind.</source>
        <translation>机构类别请选择村卫生室或协作医院。</translation>
    </message>
    <message>
        <source>The institution code must be 1 to 32 letters or digits.</source>
        <translation>机构编码须为 1 至 32 位字母或数字。</translation>
    </message>
    <message>
        <source>The institution code {code} is taken.</source>
        <translation>机构编码 {code} 已被使用。</translation>
    </message>
    <message>
        <source>A doctor needs a name of at most 50 characters.</source>
        <translation>请填写医生姓名（最多 50 字）。</translation>
    </message>
    <message>
        <source>Choose 男 or 女 as the sex.</source>
        <translation>性别请选“男”或“女”。</translation>
    </message>
    <message>
        <source>Enter the doctor&apos;s professional title (for example 全科主治医师 or 乡村医生).</source>
        <translation>请填写医生职称（如全科主治医师、乡村医生）。</translation>
    </message>
    <message>
        <source>Enter the practice licence number (4 to 40 letters or digits) as it is on the certificate.</source>
        <translation>请按执业证书填写执业证书编号（4 至 40 位字母或数字）。</translation>
    </message>
    <message>
        <source>The licence number {licence} already belongs to {name}.</source>
        <translation>执业证书编号 {licence} 已登记在{name}名下。</translation>
    </message>
    <message>
        <source>Choose the doctor&apos;s institution.</source>
        <translation>请选择医生所在机构。</translation>
    </message>
    <message>
        <source>There is no such doctor.</source>
        <translation>没有这位医生。</translation>
    </message>
    <message>
        <source>There is no such team.</source>
        <translation>没有这个团队。</translation>
    </message>
    <message>
        <source>A team needs a name of at most 60 characters.</source>
        <translation>请填写团队名称（最多 60 字）。</translation>
    </message>
    <message>
        <source>There is already a team called {name}.</source>
        <translation>已有名为“{name}”的团队。</translation>
    </message>
    <message>
        <source>Unknown team role: {role}.</source>
        <translation>未知的团队角色：{role}。</translation>
    </message>
    <message>
        <source>A doctor can be a member of a team only once.</source>
        <translation>同一医生在一个团队中只能出现一次。</translation>
    </message>
    <message>
        <source>A team needs at least one member.</source>
        <translation>团队至少要有一名成员。</translation>
    </message>
    <message>
        <source>Choose the team leader among the team&apos;s members.</source>
        <translation>请从团队成员中选择团队长。</translation>
    </message>
    <message>
        <source>There is no such village.</source>
        <translation>没有这个村。</translation>
    </message>
    <message>
        <source>{name} no longer works here and cannot join a team.</source>
        <translation>{name}已不在岗，不能加入团队。</translation>
    </message>
    <message>
        <source>{name} is the responsible doctor of {count} contracts of this team and stays a member until they end or change team.</source>
        <translation>{name}是本团队 {count} 份协议的责任医生，须等这些协议到期或更换团队后才能移出。</translation>
    </message>
    <message>
        <source>The team still has {count} contracts in force: change their team before closing it.</source>
        <translation>该团队仍有 {count} 份有效协议：请先为这些居民更换团队再撤销。</translation>
    </message>
    <message>
        <source>A package needs a name of at most 100 characters.</source>
        <translation>请填写服务包名称（最多 100 字）。</translation>
    </message>
    <message>
        <source>Choose basic or personalised as the kind of package.</source>
        <translation>服务包类别请选择基础包或个性化包。</translation>
    </message>
    <message>
        <source>Fees cannot be negative.</source>
        <translation>费用不能为负数。</translation>
    </message>
    <message>
        <source>The basic package is free: its price must be 0.</source>
        <translation>基础服务包免费：价格须为 0。</translation>
    </message>
    <message>
        <source>List at least one service item of the package.</source>
        <translation>请至少列出一项服务内容。</translation>
    </message>
    <message>
        <source>A service item has at most 200 characters and its frequency at most 60.</source>
        <translation>服务内容最多 200 字，服务频次最多 60 字。</translation>
    </message>
    <message>
        <source>Enter the date from which the package is offered.</source>
        <translation>请填写服务包的启用日期。</translation>
    </message>
    <message>
        <source>A package code is 1 to 40 lower-case letters, digits or underscores (for example elderly_plus).</source>
        <translation>服务包代码为 1 至 40 位小写字母、数字或下划线（如 elderly_plus）。</translation>
    </message>
    <message>
        <source>The package code {code} exists: make a new version of it instead.</source>
        <translation>服务包代码 {code} 已存在：请为它新建版本。</translation>
    </message>
    <message>
        <source>There is no package {code}.</source>
        <translation>没有服务包 {code}。</translation>
    </message>
    <message>
        <source>A new version keeps the kind of the package (basic or personalised).</source>
        <translation>新版本须保持原服务包类别（基础或个性化）。</translation>
    </message>
    <message>
        <source>The new version must start after {date}, when the current version started.</source>
        <translation>新版本的启用日期须晚于现行版本的启用日期 {date}。</translation>
    </message>
    <message>
        <source>The last day cannot be before the version started ({date}).</source>
        <translation>停止日期不能早于该版本的启用日期（{date}）。</translation>
    </message>
    <message>
        <source>No TrueType Chinese font was found on this computer, so the PDF uses a font that is not embedded: it may not show or print correctly on other computers. Install a Chinese TrueType font (SimSun, Microsoft YaHei or WenQuanYi Micro Hei) or name one in the setting printing.font.</source>
        <translation>这台电脑上没有找到 TrueType 中文字体，PDF 使用的字体没有嵌入：在其他电脑上可能无法正常显示或打印。请安装中文 TrueType 字体（宋体、微软雅黑或文泉驿微米黑），或在设置 printing.font 中指定一种字体。</translation>
    </message>
    <message>
        <source>The font named in the setting printing.font cannot be used ({problem}); the PDF uses {font} instead.</source>
        <translation>设置 printing.font 指定的字体无法使用（{problem}），PDF 改用 {font}。</translation>
    </message>
    <message>
        <source>The contract template {path} cannot be read: {reason}</source>
        <translation>协议模板 {path} 无法读取：{reason}</translation>
    </message>
    <message>
        <source>The contract template {path} is not saved as UTF-8. Save it again choosing the UTF-8 encoding.</source>
        <translation>协议模板 {path} 不是 UTF-8 编码。请重新保存，并选择 UTF-8 编码。</translation>
    </message>
    <message>
        <source>The contract template {path} has a writing mistake: {reason}. Check quotation marks and brackets near that line.</source>
        <translation>协议模板 {path} 有书写错误：{reason}。请检查那一行附近的引号和括号。</translation>
    </message>
    <message>
        <source>In the contract template {path}, {key} must be a text in quotes (&quot;…&quot;).</source>
        <translation>协议模板 {path} 中，{key} 必须是加引号的文字（&quot;…&quot;）。</translation>
    </message>
    <message>
        <source>In the contract template {path}, {key} has a brace {{ or }} that does not belong to a placeholder. Write {{{{ or }}}} to print a brace.</source>
        <translation>协议模板 {path} 中，{key} 有不属于占位符的花括号 {{ 或 }}。要印出花括号，请写成 {{{{ 或 }}}}。</translation>
    </message>
    <message>
        <source>In the contract template {path}, {key} uses the unknown placeholder {{{name}}}. Known placeholders: {known}</source>
        <translation>协议模板 {path} 中，{key} 使用了未知的占位符 {{{name}}}。可用的占位符：{known}</translation>
    </message>
    <message>
        <source>In the contract template {path}, clauses must be one or more [[clauses]] blocks, each with a heading and paragraphs.</source>
        <translation>协议模板 {path} 中，clauses 必须是一个或多个 [[clauses]] 段，每段有 heading 和 paragraphs。</translation>
    </message>
    <message>
        <source>In the contract template {path}, {key} needs both a heading and paragraphs.</source>
        <translation>协议模板 {path} 中，{key} 需要同时有 heading 和 paragraphs。</translation>
    </message>
    <message>
        <source>In the contract template {path}, {key} must be a list of texts: [&quot;…&quot;, &quot;…&quot;].</source>
        <translation>协议模板 {path} 中，{key} 必须是文字列表：[&quot;…&quot;, &quot;…&quot;]。</translation>
    </message>
    <message>
        <source>The contract template {path} has an entry {key} that familydoc does not know (a typing mistake?). Known entries here: {known}</source>
        <translation>协议模板 {path} 中有 familydoc 不认识的条目 {key}（是否写错了？）。这里可用的条目：{known}</translation>
    </message>
    <message>
        <source>The contract template {path} is of format {found}; this version of familydoc reads format {expected}.</source>
        <translation>协议模板 {path} 的格式是 {found}；此版本的 familydoc 读取格式 {expected}。</translation>
    </message>
    <message>
        <source>In the contract template {path}, {key} must be a section: a line [{key}] followed by its entries.</source>
        <translation>协议模板 {path} 中，{key} 必须是一节：一行 [{key}]，后面跟着它的条目。</translation>
    </message>
    <message>
        <source>In the contract template {path}, parties.first must be &quot;resident&quot; or &quot;institution&quot;.</source>
        <translation>协议模板 {path} 中，parties.first 必须是 &quot;resident&quot; 或 &quot;institution&quot;。</translation>
    </message>
    <message>
        <source>The contract template {path} named in the setting printing.template does not exist.</source>
        <translation>设置 printing.template 指定的协议模板 {path} 不存在。</translation>
    </message>
    <message>
        <source>The period ends ({end}) before it starts ({start}).</source>
        <translation>结束日期（{end}）早于开始日期（{start}）。</translation>
    </message>
    <message>
        <source>The year {year} is not a plausible target year.</source>
        <translation>{year} 年不是合理的目标年份。</translation>
    </message>
    <message>
        <source>A target must be between 0% and 100%.</source>
        <translation>目标必须在 0% 到 100% 之间。</translation>
    </message>
    <message>
        <source>The folder {path} does not exist.</source>
        <translation>文件夹 {path} 不存在。</translation>
    </message>
    <message>
        <source>The file {path} cannot be written: {reason}</source>
        <translation>无法写入文件 {path}：{reason}</translation>
    </message>
    <message>
        <source>The file name must end in {suffixes} (the format is taken from it).</source>
        <translation>文件名必须以 {suffixes} 结尾（格式由扩展名决定）。</translation>
    </message>
    <message>
        <source>Unknown export format {format}.</source>
        <translation>未知的导出格式 {format}。</translation>
    </message>
    <message>
        <source>The DHIS2 mapping file {path} cannot be used: {reason}</source>
        <translation>DHIS2 对照文件 {path} 无法使用：{reason}</translation>
    </message>
    <message>
        <source>The DHIS2 mapping file names {figure}, which this institution does not have; ask the county to correct the mapping.</source>
        <translation>DHIS2 对照文件中的 {figure} 在本机构不存在；请县里更正对照文件。</translation>
    </message>
    <message>
        <source>Another sync of this database is running now (process {pid} on {host}). Try again when it has finished.</source>
        <translation>此数据库正在进行另一次同步（计算机 {host} 上的进程 {pid}）。请等它结束后再试。</translation>
    </message>
    <message>
        <source>No county server is set up: set upstream.url (Settings, or familydoc config set upstream.url URL).</source>
        <translation>尚未设置县级平台：请设置 upstream.url（在“设置”中，或运行 familydoc config set upstream.url 地址）。</translation>
    </message>
    <message>
        <source>The county server address {url} is not a web address (https://…).</source>
        <translation>县级平台地址 {url} 不是网址（应为 https://…）。</translation>
    </message>
    <message>
        <source>The county server address must start with https:// (an unencrypted connection is allowed only to this computer).</source>
        <translation>县级平台地址必须以 https:// 开头（只有连接本机时才允许不加密）。</translation>
    </message>
    <message>
        <source>FHIR reporting needs the county&apos;s measure address: set upstream.measure.</source>
        <translation>FHIR 上报需要县里的指标（Measure）地址：请设置 upstream.measure。</translation>
    </message>
    <message>
        <source>DHIS2 reporting needs the mapping file the county gives: set upstream.mapping.</source>
        <translation>DHIS2 上报需要县里提供的对照文件：请设置 upstream.mapping。</translation>
    </message>
    <message>
        <source>The CA bundle file {path} does not exist.</source>
        <translation>CA 证书文件 {path} 不存在。</translation>
    </message>
    <message>
        <source>This account is no longer in use. Ask the administrator to enable it again.</source>
        <translation>此账号已停用。请联系管理员重新启用。</translation>
    </message>
    <message>
        <source>{username} is the last administrator who can log in: make another account an administrator first.</source>
        <translation>{username} 是最后一个可以登录的管理员：请先把另一个账号设为管理员。</translation>
    </message>
    <message>
        <source>A full name can have at most {count} characters.</source>
        <translation>姓名最多 {count} 个字。</translation>
    </message>
    <message>
        <source>You cannot disable your own account.</source>
        <translation>不能停用自己的账号。</translation>
    </message>
    <message>
        <source>Unknown signing filter: {value}.</source>
        <translation>未知的签约筛选：{value}。</translation>
    </message>
    <message>
        <source>record the result of a call</source>
        <translation>登记随访联系结果</translation>
    </message>
    <message>
        <source>There is no village with the code {code}.</source>
        <translation>没有代码为 {code} 的村。</translation>
    </message>
    <message>
        <source>Unknown contact result: {value}.</source>
        <translation>未知的联系结果：{value}。</translation>
    </message>
    <message>
        <source>Say why the resident is not signing for now.</source>
        <translation>请选择暂不签约的原因。</translation>
    </message>
    <message>
        <source>With the reason “other”, write a note saying what it is.</source>
        <translation>原因为“其他”时，请在备注中写明。</translation>
    </message>
    <message>
        <source>The note is longer than {limit} characters.</source>
        <translation>备注超过 {limit} 个字。</translation>
    </message>
    <message>
        <source>The contact date {date} is in the future.</source>
        <translation>联系日期 {date} 晚于今天。</translation>
    </message>
    <message>
        <source>The next contact date must be after the contact date.</source>
        <translation>下次联系日期须晚于本次联系日期。</translation>
    </message>
    <message>
        <source>Unknown contact filter: {value}.</source>
        <translation>未知的联系结果筛选：{value}。</translation>
    </message>
</context>
<context>
    <name>FilePage</name>
    <message>
        <source>Choose the file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <source>An Excel workbook (.xlsx) or a CSV file (UTF-8, or GBK/GB18030 as Excel saves &quot;CSV&quot;). The first row names the columns; names as in the template are recognised, other columns can be chosen on the next page.</source>
        <translation>Excel 工作簿（.xlsx）或 CSV 文件（UTF-8，或 Excel 另存“CSV”时的 GBK/GB18030 编码）。第一行为表头：与模板相同的列名会自动识别，其他列可在下一步中指定。</translation>
    </message>
    <message>
        <source>Residents (roster of a village or town)</source>
        <translation>居民（村或镇的花名册）</translation>
    </message>
    <message>
        <source>Villages: code, name and official population</source>
        <translation>村居：代码、名称和常住人口</translation>
    </message>
    <message>
        <source>Only an administrator imports villages.</source>
        <translation>只有管理员可以导入村居。</translation>
    </message>
    <message>
        <source>Contracts already signed: the roster of signed residents</source>
        <translation>签约：已签约居民的花名册</translation>
    </message>
    <message>
        <source>Only family doctors and supervisors import signed contracts.</source>
        <translation>只有家庭医生和主管可以导入签约。</translation>
    </message>
    <message>
        <source>Create the teams and doctors the file names that do not exist yet</source>
        <translation>创建文件中出现但系统中尚没有的团队和医生</translation>
    </message>
    <message>
        <source>A new doctor is added by name (complete the title, licence and phone on the teams page) and becomes a member of the team the row names; a new team is led by the doctor of its first row.</source>
        <translation>新医生只按姓名添加（职称、执业证号和电话请在团队页面中补全），并加入该行所填的团队；新团队的队长是其第一行的医生。</translation>
    </message>
    <message>
        <source>Only a supervisor adds teams and doctors.</source>
        <translation>只有主管可以新建团队和医生。</translation>
    </message>
    <message>
        <source>Choose a .xlsx or .csv file…</source>
        <translation>请选择 .xlsx 或 .csv 文件…</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>What does the file hold?</source>
        <translation>文件内容</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>No file yet?</source>
        <translation>还没有文件？</translation>
    </message>
    <message>
        <source>Save the residents template…</source>
        <translation>保存居民导入模板…</translation>
    </message>
    <message>
        <source>Save the villages template…</source>
        <translation>保存村居导入模板…</translation>
    </message>
    <message>
        <source>Save the contracts template…</source>
        <translation>保存签约导入模板…</translation>
    </message>
    <message>
        <source>All rows or none: every row is checked first, and if any row has a problem nothing is imported; you get the list of problems (row, column, value, reason) to correct in your file.</source>
        <translation>要么全部导入，要么都不导入：先检查每一行，只要有一行有问题就不导入任何数据，并列出问题清单（行号、列、内容、原因），请在原文件中改正。</translation>
    </message>
    <message>
        <source>Each row is signed with the rules of the signing form. A resident who already has the same contract (same team and start date) is counted as already present and not signed twice.</source>
        <translation>每一行都按签约表单的规则签约。已有相同签约（同一团队、同一开始日期）的居民记为“已存在”，不会重复签约。</translation>
    </message>
    <message>
        <source>Residents already registered (same ID number) are updated; blank cells keep what is stored.</source>
        <translation>已登记的居民（身份证号相同）会被更新；空白单元格保留原有内容。</translation>
    </message>
    <message>
        <source>An Excel workbook with the column names, two example rows, the ID-number column formatted as text, and a sheet explaining each column.</source>
        <translation>Excel 工作簿：含表头、两行示例，身份证号列已设为文本格式，另有一页“填写说明”逐列说明。</translation>
    </message>
    <message>
        <source>Choose the file to import</source>
        <translation>选择要导入的文件</translation>
    </message>
    <message>
        <source>Tables (*.xlsx *.csv);;All files (*)</source>
        <translation>表格文件 (*.xlsx *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save the template</source>
        <translation>保存导入模板</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV UTF-8 (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV UTF-8 (*.csv)</translation>
    </message>
    <message>
        <source>Saved as {path}.</source>
        <translation>已保存为 {path}。</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>familydoc — first start</source>
        <translation>家庭医生签约服务系统 — 首次使用</translation>
    </message>
    <message>
        <source>This computer has no familydoc data yet. Enter your health centre and the first administrator account, or fill the program with demo data to try it.</source>
        <translation>这台电脑上还没有签约数据。请填写本卫生院的信息和第一个管理员账号；也可以先生成演示数据试用。</translation>
    </message>
    <message>
        <source>e.g. 320321110</source>
        <translation>例如 320321110</translation>
    </message>
    <message>
        <source>e.g. 青山镇卫生院</source>
        <translation>例如 青山镇卫生院</translation>
    </message>
    <message>
        <source>Institution code</source>
        <translation>机构编码</translation>
    </message>
    <message>
        <source>Institution name</source>
        <translation>机构名称</translation>
    </message>
    <message>
        <source>Administrator user name</source>
        <translation>管理员用户名</translation>
    </message>
    <message>
        <source>Password (8 characters or more)</source>
        <translation>密码（至少 8 个字符）</translation>
    </message>
    <message>
        <source>Repeat the password</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source> residents</source>
        <translation> 名居民</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>Fill with demo data</source>
        <translation>生成演示数据</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Welcome to familydoc</source>
        <translation>欢迎使用家庭医生签约服务系统</translation>
    </message>
    <message>
        <source>Or, to try the program:</source>
        <translation>或者，先试用：</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <source>Demo accounts: {users}; password: {password}</source>
        <translation>演示账号：{users}；密码：{password}</translation>
    </message>
</context>
<context>
    <name>HouseholdDialog</name>
    <message>
        <source>Household</source>
        <translation>家庭户</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>关系</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Contract</source>
        <translation>签约</translation>
    </message>
    <message>
        <source>Household no. to move the selected member to</source>
        <translation>将所选成员迁入的户号</translation>
    </message>
    <message>
        <source>Move member</source>
        <translation>迁移成员</translation>
    </message>
    <message>
        <source>Household {number} of {village}; head: {head}; {address}</source>
        <translation>{village} 户号 {number}；户主：{head}；{address}</translation>
    </message>
    <message>
        <source>until {end}</source>
        <translation>至 {end}</translation>
    </message>
    <message>
        <source>Not signed</source>
        <translation>未签约</translation>
    </message>
    <message>
        <source>Pre-signed, from {date}</source>
        <translation>已预签，{date}起</translation>
    </message>
</context>
<context>
    <name>ImportPage</name>
    <message>
        <source>Importing</source>
        <translation>正在导入</translation>
    </message>
    <message>
        <source>The rows are written in one transaction: until it ends, cancelling leaves the database exactly as it was.</source>
        <translation>所有行在同一个事务中写入：完成之前取消，数据库将保持原样。</translation>
    </message>
    <message>
        <source>Cancel the import</source>
        <translation>取消导入</translation>
    </message>
    <message>
        <source>Importing {file}…</source>
        <translation>正在导入 {file}…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Importing row {done} of about {total}…</source>
        <translation>正在导入第 {done} 行（共约 {total} 行）…</translation>
    </message>
    <message>
        <source>Cancelled: nothing was imported.</source>
        <translation>已取消：没有导入任何数据。</translation>
    </message>
    <message>
        <source>The file changed after the check: close and check it again.</source>
        <translation>检查之后文件又被修改过：请关闭向导后重新检查。</translation>
    </message>
    <message>
        <source>Nothing was imported.</source>
        <translation>没有导入任何数据。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <source>Import from Excel or CSV</source>
        <translation>从 Excel 或 CSV 导入</translation>
    </message>
    <message>
        <source>&lt; Back</source>
        <translation>&lt; 上一步</translation>
    </message>
    <message>
        <source>Next &gt;</source>
        <translation>下一步 &gt;</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>Imports</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Village (code or name)</source>
        <translation>村居（代码或名称）</translation>
    </message>
    <message>
        <source>Household number</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Relation to the head</source>
        <translation>与户主关系</translation>
    </message>
    <message>
        <source>Key populations</source>
        <translation>重点人群</translation>
    </message>
    <message>
        <source>Health record number</source>
        <translation>健康档案号</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <source>Insurance type</source>
        <translation>参保类型</translation>
    </message>
    <message>
        <source>Guardian&apos;s name</source>
        <translation>监护人姓名</translation>
    </message>
    <message>
        <source>Guardian&apos;s relation</source>
        <translation>监护人关系</translation>
    </message>
    <message>
        <source>Guardian&apos;s ID number</source>
        <translation>监护人身份证号</translation>
    </message>
    <message>
        <source>Guardian&apos;s phone</source>
        <translation>监护人电话</translation>
    </message>
    <message>
        <source>Moved-in date</source>
        <translation>迁入日期</translation>
    </message>
    <message>
        <source>Village code (12 digits)</source>
        <translation>村居代码（12 位）</translation>
    </message>
    <message>
        <source>Village name</source>
        <translation>村居名称</translation>
    </message>
    <message>
        <source>Official population</source>
        <translation>常住人口</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年份</translation>
    </message>
    <message>
        <source>Name (checked against the ID number)</source>
        <translation>姓名（与身份证号核对）</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>Responsible doctor</source>
        <translation>责任医生</translation>
    </message>
    <message>
        <source>Service packages</source>
        <translation>服务包</translation>
    </message>
    <message>
        <source>Signing date</source>
        <translation>签约日期</translation>
    </message>
    <message>
        <source>Start date</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <source>End date</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
</context>
<context>
    <name>InstitutionDialog</name>
    <message>
        <source>New institution</source>
        <translation>新增机构</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>机构编码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Supervision phone</source>
        <translation>监督电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>The code of this institution starts every contract number and stays.</source>
        <translation>本机构编码是所有协议编号的开头，不能修改。</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>Living here</source>
        <translation>在册</translation>
    </message>
    <message>
        <source>Moved out</source>
        <translation>已迁出</translation>
    </message>
    <message>
        <source>Deceased</source>
        <translation>已死亡</translation>
    </message>
    <message>
        <source>In force</source>
        <translation>履约中</translation>
    </message>
    <message>
        <source>Ending within 30 days</source>
        <translation>30天内到期</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>已到期</translation>
    </message>
    <message>
        <source>Terminated</source>
        <translation>已解约</translation>
    </message>
    <message>
        <source>General practitioner</source>
        <translation>全科医生</translation>
    </message>
    <message>
        <source>Nurse</source>
        <translation>护士</translation>
    </message>
    <message>
        <source>Public-health physician</source>
        <translation>公卫医师</translation>
    </message>
    <message>
        <source>Village doctor</source>
        <translation>乡村医生</translation>
    </message>
    <message>
        <source>Specialist (partner hospital)</source>
        <translation>专科医生（医联体医院）</translation>
    </message>
    <message>
        <source>Official population</source>
        <translation>常住人口</translation>
    </message>
    <message>
        <source>Registered residents</source>
        <translation>在册居民</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>签约容量</translation>
    </message>
    <message>
        <source>Logged in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Login failed</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <source>Account created</source>
        <translation>新建账号</translation>
    </message>
    <message>
        <source>Password changed</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Account locked</source>
        <translation>锁定账号</translation>
    </message>
    <message>
        <source>Account unlocked</source>
        <translation>解锁账号</translation>
    </message>
    <message>
        <source>Locked after wrong passwords</source>
        <translation>因密码错误被锁定</translation>
    </message>
    <message>
        <source>Institution created</source>
        <translation>新建机构</translation>
    </message>
    <message>
        <source>Service package created</source>
        <translation>新建服务包</translation>
    </message>
    <message>
        <source>Demo data created</source>
        <translation>生成演示数据</translation>
    </message>
    <message>
        <source>Backup made</source>
        <translation>备份数据</translation>
    </message>
    <message>
        <source>Backup restored</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <source>Audit log exported</source>
        <translation>导出审计日志</translation>
    </message>
    <message>
        <source>Contract signed</source>
        <translation>签约</translation>
    </message>
    <message>
        <source>Contract renewed</source>
        <translation>续约</translation>
    </message>
    <message>
        <source>Contract ended</source>
        <translation>解约</translation>
    </message>
    <message>
        <source>Team changed</source>
        <translation>更换团队</translation>
    </message>
    <message>
        <source>Signing past capacity approved</source>
        <translation>批准超额签约</translation>
    </message>
    <message>
        <source>Contracts imported</source>
        <translation>导入签约名单</translation>
    </message>
    <message>
        <source>Doctor added</source>
        <translation>新增医生</translation>
    </message>
    <message>
        <source>Doctor changed</source>
        <translation>修改医生</translation>
    </message>
    <message>
        <source>Team created</source>
        <translation>新建团队</translation>
    </message>
    <message>
        <source>Institution changed</source>
        <translation>修改机构</translation>
    </message>
    <message>
        <source>New package version</source>
        <translation>服务包新版本</translation>
    </message>
    <message>
        <source>Package no longer offered</source>
        <translation>服务包停止提供</translation>
    </message>
    <message>
        <source>User account</source>
        <translation>用户账号</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>Service package</source>
        <translation>服务包</translation>
    </message>
    <message>
        <source>Resident</source>
        <translation>居民</translation>
    </message>
    <message>
        <source>Contract</source>
        <translation>签约</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Doctor</source>
        <translation>医生</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>In person</source>
        <translation>本人签约</translation>
    </message>
    <message>
        <source>By a guardian</source>
        <translation>监护人代签</translation>
    </message>
    <message>
        <source>Basic (free)</source>
        <translation>基础包（免费）</translation>
    </message>
    <message>
        <source>Personalised</source>
        <translation>个性化包</translation>
    </message>
    <message>
        <source>Township health centre</source>
        <translation>乡镇卫生院</translation>
    </message>
    <message>
        <source>Village clinic</source>
        <translation>村卫生室</translation>
    </message>
    <message>
        <source>Partner county hospital</source>
        <translation>协作县级医院</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动备份</translation>
    </message>
    <message>
        <source>Made by hand</source>
        <translation>手动备份</translation>
    </message>
    <message>
        <source>Kept before a restore</source>
        <translation>恢复前另存</translation>
    </message>
    <message>
        <source>Kept before an upgrade</source>
        <translation>升级前另存</translation>
    </message>
    <message>
        <source>Aged 65 and over</source>
        <translation>65岁及以上老年人</translation>
    </message>
    <message>
        <source>Children aged 0-6</source>
        <translation>0-6岁儿童</translation>
    </message>
    <message>
        <source>Pregnant and postpartum women</source>
        <translation>孕产妇</translation>
    </message>
    <message>
        <source>Hypertension</source>
        <translation>高血压</translation>
    </message>
    <message>
        <source>Type 2 diabetes</source>
        <translation>2型糖尿病</translation>
    </message>
    <message>
        <source>Severe mental disorder</source>
        <translation>严重精神障碍</translation>
    </message>
    <message>
        <source>Tuberculosis</source>
        <translation>肺结核</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>残疾人</translation>
    </message>
    <message>
        <source>Lifted out of poverty / low income</source>
        <translation>脱贫人口</translation>
    </message>
    <message>
        <source>Family-planning special family</source>
        <translation>计划生育特殊家庭</translation>
    </message>
    <message>
        <source>Any key population</source>
        <translation>任一重点人群</translation>
    </message>
    <message>
        <source>Official population and registered residents</source>
        <translation>常住人口与在册居民</translation>
    </message>
</context>
<context>
    <name>LeaveDialog</name>
    <message>
        <source>Moved out or deceased</source>
        <translation>迁出或死亡</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>{name} stays in the database and leaves the signing-rate denominators from this date. This can be undone with “Bring back”.</source>
        <translation>{name} 的记录会保留，从该日起不再计入签约率分母。可以用“恢复在册”撤销。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>familydoc — log in</source>
        <translation>家庭医生签约服务系统 — 登录</translation>
    </message>
    <message>
        <source>Family doctor contracting</source>
        <translation>家庭医生签约服务系统</translation>
    </message>
    <message>
        <source>The screen was locked after a period without use. Log in to go on.</source>
        <translation>长时间未操作，屏幕已锁定。请重新登录以继续。</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Version {version}</source>
        <translation>版本 {version}</translation>
    </message>
    <message>
        <source>Enter your user name and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <source>Choose your own password to go on.</source>
        <translation>请先设置自己的密码，才能继续使用。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>familydoc — {institution}</source>
        <translation>家庭医生签约服务系统 — {institution}</translation>
    </message>
    <message>
        <source>&amp;Program</source>
        <translation>系统(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Lock screen</source>
        <translation>锁定屏幕(&amp;L)</translation>
    </message>
    <message>
        <source>Log &amp;out</source>
        <translation>注销(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About familydoc</source>
        <translation>关于本系统(&amp;A)</translation>
    </message>
    <message>
        <source>User: {name} ({role})</source>
        <translation>用户：{name}（{role}）</translation>
    </message>
    <message>
        <source>Database: {location}</source>
        <translation>数据库：{location}</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>Sync: last {last}, {waiting} waiting</source>
        <translation>上报：最近 {last}，{waiting} 份待上报</translation>
    </message>
    <message>
        <source>, {failed} need attention</source>
        <translation>，{failed} 份需处理</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <source>About familydoc</source>
        <translation>关于家庭医生签约服务系统</translation>
    </message>
    <message>
        <source>familydoc {version}
Family doctor contracting for township health centres.
{year}</source>
        <translation>家庭医生签约服务系统 {version}
乡镇卫生院家庭医生签约服务管理。
{year}</translation>
    </message>
    <message>
        <source>Change my &amp;password…</source>
        <translation>修改密码(&amp;P)…</translation>
    </message>
    <message>
        <source>Your password was changed.</source>
        <translation>您的密码已修改。</translation>
    </message>
</context>
<context>
    <name>NewAccountDialog</name>
    <message>
        <source>New account</source>
        <translation>新建账号</translation>
    </message>
    <message>
        <source>for logging in, e.g. wangli</source>
        <translation>登录时使用，例如 wangli</translation>
    </message>
    <message>
        <source>Must choose a new password at the first login</source>
        <translation>首次登录时须设置新密码</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>First password</source>
        <translation>初始密码</translation>
    </message>
    <message>
        <source>Repeat the password</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>OutreachDialog</name>
    <message>
        <source>All residents</source>
        <translation>全部居民</translation>
    </message>
    <message>
        <source>Not signed</source>
        <translation>未签约</translation>
    </message>
    <message>
        <source>Show full phone numbers</source>
        <translation>显示完整电话号码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村居</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>与户主关系</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <source>Key populations</source>
        <translation>重点人群</translation>
    </message>
    <message>
        <source>Situation</source>
        <translation>情况</translation>
    </message>
    <message>
        <source>Responsible doctor</source>
        <translation>责任医生</translation>
    </message>
    <message>
        <source>Print call list…</source>
        <translation>打印随访名单…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Population</source>
        <translation>人群</translation>
    </message>
    <message>
        <source>All villages</source>
        <translation>全部村居</translation>
    </message>
    <message>
        <source>Residents to call — {where}, {who}, as of {date}</source>
        <translation>待联系居民 — {where}，{who}，截至 {date}</translation>
    </message>
    <message>
        <source>Ends soon</source>
        <translation>即将到期</translation>
    </message>
    <message>
        <source>{count} residents; those whose contract ends soon are highlighted</source>
        <translation>共 {count} 人；签约即将到期者已突出显示</translation>
    </message>
    <message>
        <source>Export the call list</source>
        <translation>导出随访名单</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV file (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>{rows} residents saved to {path}.</source>
        <translation>已将 {rows} 名居民保存到 {path}。</translation>
    </message>
    <message>
        <source>Coverage ends within 30 days</source>
        <translation>签约（含续签）30天内到期</translation>
    </message>
    <message>
        <source>Any contact result</source>
        <translation>全部联系结果</translation>
    </message>
    <message>
        <source>Not contacted yet</source>
        <translation>尚未联系</translation>
    </message>
    <message>
        <source>Next contact date reached</source>
        <translation>已到下次联系日期</translation>
    </message>
    <message>
        <source>Signed until</source>
        <translation>签约至</translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation>最近联系</translation>
    </message>
    <message>
        <source>Next contact</source>
        <translation>下次联系</translation>
    </message>
    <message>
        <source>Enter or double-click: open the resident</source>
        <translation>回车或双击：打开居民</translation>
    </message>
    <message>
        <source>Open resident…</source>
        <translation>打开居民…</translation>
    </message>
    <message>
        <source>Sign / renew…</source>
        <translation>签约/续约…</translation>
    </message>
    <message>
        <source>Record contact…</source>
        <translation>登记联系结果…</translation>
    </message>
</context>
<context>
    <name>PackageDialog</name>
    <message>
        <source>New service package</source>
        <translation>新建服务包</translation>
    </message>
    <message>
        <source>New version of {name}</source>
        <translation>{name} 新版本</translation>
    </message>
    <message>
        <source>Service item</source>
        <translation>服务内容</translation>
    </message>
    <message>
        <source>Frequency</source>
        <translation>服务频次</translation>
    </message>
    <message>
        <source>Add item</source>
        <translation>添加一项</translation>
    </message>
    <message>
        <source>Remove item</source>
        <translation>删除所选项</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Insurance fund</source>
        <translation>医保基金</translation>
    </message>
    <message>
        <source>Public-health funds</source>
        <translation>公卫经费</translation>
    </message>
    <message>
        <source>Self-pay</source>
        <translation>个人自付</translation>
    </message>
    <message>
        <source>Fees</source>
        <translation>收费构成</translation>
    </message>
    <message>
        <source>Offered from</source>
        <translation>启用日期</translation>
    </message>
    <message>
        <source>Meant for (leave empty for everyone)</source>
        <translation>适用人群（不选则面向全体居民）</translation>
    </message>
    <message>
        <source>Service items</source>
        <translation>服务内容</translation>
    </message>
    <message>
        <source>Price {price}</source>
        <translation>价格 {price}</translation>
    </message>
</context>
<context>
    <name>PreviewPage</name>
    <message>
        <source>Check the columns</source>
        <translation>核对列</translation>
    </message>
    <message>
        <source>The first rows of the file. Under each column, choose what it holds; columns set to “not imported” are left out. Fields marked * are required.</source>
        <translation>以下是文件的前几行。请在每列上方选择该列的内容；设为“不导入”的列将被忽略。带 * 的为必填项。</translation>
    </message>
    <message>
        <source>Reading {file}…</source>
        <translation>正在读取 {file}…</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>（无列名）</translation>
    </message>
    <message>
        <source>Import as</source>
        <translation>导入为</translation>
    </message>
    <message>
        <source>(not imported)</source>
        <translation>（不导入）</translation>
    </message>
    <message>
        <source>comma</source>
        <translation>逗号</translation>
    </message>
    <message>
        <source>tab</source>
        <translation>制表符</translation>
    </message>
    <message>
        <source>semicolon</source>
        <translation>分号</translation>
    </message>
    <message>
        <source>CSV, {encoding}, separated by {delimiter}</source>
        <translation>CSV 文件，{encoding} 编码，以{delimiter}分隔</translation>
    </message>
    <message>
        <source>Excel workbook, sheet “{sheet}”</source>
        <translation>Excel 工作簿，工作表“{sheet}”</translation>
    </message>
    <message>
        <source>{file}: {kind}; header in row {row}; about {count} rows.</source>
        <translation>{file}：{kind}；表头在第 {row} 行；约 {count} 行。</translation>
    </message>
    <message>
        <source>Choose the column for: {fields}.</source>
        <translation>请指定以下内容所在的列：{fields}。</translation>
    </message>
    <message>
        <source>Not imported: {columns}.</source>
        <translation>不导入的列：{columns}。</translation>
    </message>
    <message>
        <source>Every column will be imported.</source>
        <translation>所有列都将导入。</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>Give {name} ({user}) a new password. At the next login they must choose their own.</source>
        <translation>为 {name}（{user}）设置新密码。其下次登录时须设置自己的密码。</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>Repeat the password</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>ResidentDialog</name>
    <message>
        <source>New resident</source>
        <translation>新建居民</translation>
    </message>
    <message>
        <source>Resident</source>
        <translation>居民</translation>
    </message>
    <message>
        <source>Moved in on</source>
        <translation>迁入日期</translation>
    </message>
    <message>
        <source>Lacks capacity (signs through a guardian)</source>
        <translation>无民事行为能力（由监护人代签）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Health record no.</source>
        <translation>健康档案号</translation>
    </message>
    <message>
        <source>Insurance</source>
        <translation>医保类型</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村居</translation>
    </message>
    <message>
        <source>Household no.</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Relation to head</source>
        <translation>与户主关系</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <source>Key populations (age groups are computed)</source>
        <translation>重点人群（年龄类人群自动计算）</translation>
    </message>
    <message>
        <source>Guardian</source>
        <translation>监护人</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>关系</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Show full numbers</source>
        <translation>显示完整号码</translation>
    </message>
    <message>
        <source>Moved out / deceased…</source>
        <translation>迁出 / 死亡…</translation>
    </message>
    <message>
        <source>Household…</source>
        <translation>户成员…</translation>
    </message>
    <message>
        <source>Sign…</source>
        <translation>签约…</translation>
    </message>
    <message>
        <source>Renew…</source>
        <translation>续约…</translation>
    </message>
    <message>
        <source>Enter the resident&apos;s data. With an ID number, birth date and sex are taken from it.</source>
        <translation>请填写居民信息。填写身份证号后，出生日期和性别将自动从中读取。</translation>
    </message>
    <message>
        <source>Bring back…</source>
        <translation>恢复在册…</translation>
    </message>
    <message>
        <source>{name}, {age} years</source>
        <translation>{name}，{age} 岁</translation>
    </message>
    <message>
        <source>signed with {team} until {end}</source>
        <translation>已签约{team}，至 {end}</translation>
    </message>
    <message>
        <source>not signed</source>
        <translation>未签约</translation>
    </message>
    <message>
        <source>{status} on {date}</source>
        <translation>{date} {status}</translation>
    </message>
    <message>
        <source>No ID number (newborn): enter birth date, sex and a guardian.</source>
        <translation>无身份证号（新生儿）：请填写出生日期、性别和监护人。</translation>
    </message>
    <message>
        <source>Masked: leave it as it is to keep the number.</source>
        <translation>已脱敏：保持不变即保留原号码。</translation>
    </message>
    <message>
        <source>Born {date}, {sex}, {age} years</source>
        <translation>出生于 {date}，{sex}，{age} 岁</translation>
    </message>
    <message>
        <source>Bring {name} back into the list of residents living here?</source>
        <translation>将 {name} 恢复为在册居民？</translation>
    </message>
    <message>
        <source>pre-signed with {team}, from {start}</source>
        <translation>已预签{team}，{start}起</translation>
    </message>
</context>
<context>
    <name>ResidentsPage</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村居</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>家庭户</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Signed until</source>
        <translation>签约至</translation>
    </message>
    <message>
        <source>Not signed</source>
        <translation>未签约</translation>
    </message>
    <message>
        <source>Residents</source>
        <translation>居民管理</translation>
    </message>
    <message>
        <source>Find: name, pinyin initials (zs), ID or phone digits, record number</source>
        <translation>查找：姓名、拼音首字母（如 zs）、身份证号或电话中的数字、档案号</translation>
    </message>
    <message>
        <source>All villages</source>
        <translation>全部村居</translation>
    </message>
    <message>
        <source>All residents</source>
        <translation>全部居民</translation>
    </message>
    <message>
        <source>Signed or not</source>
        <translation>签约状态不限</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>已签约</translation>
    </message>
    <message>
        <source>Ending within 30 days</source>
        <translation>30天内到期</translation>
    </message>
    <message>
        <source>Living here</source>
        <translation>在册</translation>
    </message>
    <message>
        <source>Moved out or deceased</source>
        <translation>迁出或死亡</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>New resident…</source>
        <translation>新建居民…</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Import a village roster from Excel or CSV</source>
        <translation>从 Excel 或 CSV 导入村居花名册</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <source>Household…</source>
        <translation>户成员…</translation>
    </message>
    <message>
        <source>More than {count} residents found: the first {count} are listed; type more to narrow the search</source>
        <translation>找到超过 {count} 人，列出前 {count} 人；请继续输入以缩小范围</translation>
    </message>
    <message>
        <source>{count} residents found</source>
        <translation>找到 {count} 名居民</translation>
    </message>
    <message>
        <source>{count} residents living here (ID numbers and phones are masked)</source>
        <translation>在册居民 {count} 人（身份证号和电话已脱敏）</translation>
    </message>
    <message>
        <source>This resident belongs to no household yet.</source>
        <translation>该居民尚未归入任何户。</translation>
    </message>
    <message>
        <source>Pre-signed (starts later)</source>
        <translation>已预签（尚未开始）</translation>
    </message>
    <message>
        <source>Pre-signed, from {date}</source>
        <translation>已预签，{date}起</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <source>Restore a backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <source>Choose the backup to go back to. The current data is replaced by it; a copy of the current database is kept first.</source>
        <translation>请选择要恢复到的备份。当前数据将被它替换；替换前会先把当前数据库另存一份。</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Choose another file…</source>
        <translation>选择其他文件…</translation>
    </message>
    <message>
        <source>Choose a backup.</source>
        <translation>请选择一个备份。</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员账号</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>管理员密码</translation>
    </message>
    <message>
        <source>I understand that the current data is replaced by this backup</source>
        <translation>我知道当前数据将被这个备份替换</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>There is no backup in {folder}; choose a file.</source>
        <translation>{folder} 中没有备份，请选择一个文件。</translation>
    </message>
    <message>
        <source>Choose a backup</source>
        <translation>选择备份</translation>
    </message>
    <message>
        <source>familydoc backups (*.sqlite3);;All files (*)</source>
        <translation>familydoc 备份 (*.sqlite3);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Checking {file} …</source>
        <translation>正在检查 {file} …</translation>
    </message>
    <message>
        <source>{institution}: {residents} residents, {contracts} contracts; last change {changed}; checked, no damage.</source>
        <translation>{institution}：居民 {residents} 人，签约 {contracts} 份；最后修改于 {changed}；已检查，没有损坏。</translation>
    </message>
    <message>
        <source>It was made by an older familydoc (schema {revision}) and is upgraded when restored.</source>
        <translation>它由较早版本的 familydoc 生成（数据结构 {revision}），恢复时会自动升级。</translation>
    </message>
    <message>
        <source>This backup belongs to another institution ({code}). Replace this institution&apos;s data with it.</source>
        <translation>这个备份属于其他机构（{code}）。我确认用它替换本机构的数据。</translation>
    </message>
    <message>
        <source>A backup or a check is running; try again when it has finished.</source>
        <translation>正在备份或检查，请等它完成后再试。</translation>
    </message>
    <message>
        <source>Only an administrator can restore a backup; {user} is not one.</source>
        <translation>只有管理员可以恢复备份，{user} 不是管理员。</translation>
    </message>
</context>
<context>
    <name>RetirePackageDialog</name>
    <message>
        <source>Stop offering {name}</source>
        <translation>停止提供 {name}</translation>
    </message>
    <message>
        <source>Contracts starting after the last day cannot choose this package. Contracts already signed keep it.</source>
        <translation>此日期之后开始的协议不能再选此服务包；已签协议不受影响。</translation>
    </message>
    <message>
        <source>Last day offered</source>
        <translation>最后提供日期</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>Family doctor</source>
        <translation>家庭医生</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>录入员</translation>
    </message>
</context>
<context>
    <name>Safety</name>
    <message>
        <source>today {time}</source>
        <translation>今天 {time}</translation>
    </message>
    <message>
        <source>yesterday {time}</source>
        <translation>昨天 {time}</translation>
    </message>
</context>
<context>
    <name>SafetyPanel</name>
    <message>
        <source>Data safety: backups and restore</source>
        <translation>数据安全：备份与恢复</translation>
    </message>
    <message>
        <source>e.g. a folder on a USB disk, E:\familydoc-backups</source>
        <translation>例如 U 盘上的文件夹：E:\familydoc-backups</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Second backup folder</source>
        <translation>第二备份文件夹</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <source>Restore a backup…</source>
        <translation>从备份恢复…</translation>
    </message>
    <message>
        <source>Needs an administrator&apos;s password</source>
        <translation>需要管理员密码</translation>
    </message>
    <message>
        <source>Check the database</source>
        <translation>检查数据库</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>This database is on a database server: the server&apos;s own tools back it up and restore it.</source>
        <translation>本数据库位于数据库服务器上，由服务器自带的工具负责备份和恢复。</translation>
    </message>
    <message>
        <source>No backup has been made yet. Backups are kept in {folder}.</source>
        <translation>还没有备份。备份保存在 {folder}。</translation>
    </message>
    <message>
        <source>Last good backup: {when} ({kind}, {size}). Backups are kept in {folder}: 7 daily, 4 weekly and 12 monthly.</source>
        <translation>最近一次完好备份：{when}（{kind}，{size}）。备份保存在 {folder}：保留最近 7 天每天一份、4 周每周一份、12 个月每月一份。</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>available</source>
        <translation>可用</translation>
    </message>
    <message>
        <source>not available</source>
        <translation>不可用</translation>
    </message>
    <message>
        <source>Saved. The folder {folder} is not available now; backups will be copied there whenever it is (for example when the USB disk is plugged in).</source>
        <translation>已保存。文件夹 {folder} 现在不可用；等它可用时（例如插上 U 盘后），备份会复制过去。</translation>
    </message>
    <message>
        <source>A backup or a check is running; try again when it has finished.</source>
        <translation>正在备份或检查，请等它完成后再试。</translation>
    </message>
    <message>
        <source>The backup was made and checked:
{file}
({size}, {seconds} s)</source>
        <translation>备份已完成并通过检查：
{file}
（{size}，用时 {seconds} 秒）</translation>
    </message>
    <message>
        <source>A copy is in the second folder:
{file}</source>
        <translation>第二备份文件夹中的副本：
{file}</translation>
    </message>
    <message>
        <source>The backup was cancelled; nothing was kept.</source>
        <translation>备份已取消，没有留下任何文件。</translation>
    </message>
    <message>
        <source>, audit log chain intact ({count} events)</source>
        <translation>，审计日志哈希链完整（{count} 条记录）</translation>
    </message>
    <message>
        <source>The database is in order: SQLite&apos;s integrity check and the foreign key check found nothing{events}. ({seconds} s)</source>
        <translation>数据库正常：SQLite 完整性检查和外键检查均未发现问题{events}。（用时 {seconds} 秒）</translation>
    </message>
    <message>
        <source>The database file is damaged. familydoc stops saving changes; restore the newest good backup.</source>
        <translation>数据库文件已损坏。程序已停止保存修改，请用最近的完好备份恢复。</translation>
    </message>
    <message>
        <source>The file is sound, but the check found changes made outside familydoc:</source>
        <translation>文件本身完好，但检查发现了在本程序之外做的改动：</translation>
    </message>
    <message>
        <source>The backup of {when} was restored.
The database as it was before is kept as {file}.
Please log in again.</source>
        <translation>已恢复到 {when} 的备份。
恢复前的数据库另存为 {file}。
请重新登录。</translation>
    </message>
    <message>
        <source>Restored</source>
        <translation>已恢复</translation>
    </message>
</context>
<context>
    <name>ServiceDialog</name>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings</source>
        <translation>系统设置</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Schema version</source>
        <translation>数据结构版本</translation>
    </message>
    <message>
        <source> minutes</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>保存设置</translation>
    </message>
    <message>
        <source>Language (after restart)</source>
        <translation>界面语言（重启后生效）</translation>
    </message>
    <message>
        <source>Lock the screen after idle</source>
        <translation>无操作自动锁屏</translation>
    </message>
    <message>
        <source>Only an administrator can change settings.</source>
        <translation>只有管理员可以修改设置。</translation>
    </message>
    <message>
        <source>User accounts</source>
        <translation>用户账号</translation>
    </message>
    <message>
        <source>Settings saved.</source>
        <translation>设置已保存。</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>County server</source>
        <translation>县级平台</translation>
    </message>
    <message>
        <source>Data safety</source>
        <translation>数据安全</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <source>Your institution is set up. Log in as {user} with the password you chose.</source>
        <translation>机构已创建。请用 {user} 和您设置的密码登录。</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <source>Sign a contract</source>
        <translation>签约</translation>
    </message>
    <message>
        <source>Renew the contract</source>
        <translation>续约</translation>
    </message>
    <message>
        <source>Change team</source>
        <translation>更换团队</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>Service packages</source>
        <translation>服务包</translation>
    </message>
    <message>
        <source>In person</source>
        <translation>本人签约</translation>
    </message>
    <message>
        <source>By a guardian</source>
        <translation>监护人代签</translation>
    </message>
    <message>
        <source>Guardian</source>
        <translation>监护人</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>与居民关系</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Supervisor&apos;s confirmation</source>
        <translation>主管确认</translation>
    </message>
    <message>
        <source>As supervisor I confirm signing past the capacity</source>
        <translation>本人作为主管，确认超额签约</translation>
    </message>
    <message>
        <source>A supervisor confirms here with their user name and password; the confirmation is recorded in the audit log.</source>
        <translation>请主管在此输入用户名和密码确认；确认记录将写入审计日志。</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>主管用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>签约团队</translation>
    </message>
    <message>
        <source>Responsible doctor</source>
        <translation>责任医生</translation>
    </message>
    <message>
        <source>Signed on</source>
        <translation>签约日期</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <source>End</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <source>Signing</source>
        <translation>签约方式</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>签约</translation>
    </message>
    <message>
        <source>Renew</source>
        <translation>续约</translation>
    </message>
    <message>
        <source>Sign and print…</source>
        <translation>签约并打印…</translation>
    </message>
    <message>
        <source>Renew and print…</source>
        <translation>续约并打印…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Your account may not sign contracts.</source>
        <translation>您的账号无签约权限。</translation>
    </message>
    <message>
        <source>{name}, {sex}, {age} years, {village}</source>
        <translation>{name}，{sex}，{age}岁，{village}</translation>
    </message>
    <message>
        <source>ID {number}</source>
        <translation>身份证 {number}</translation>
    </message>
    <message>
        <source>Current contract {number}: {team}, {start} to {end} ({status}).</source>
        <translation>现有协议 {number}：{team}，{start} 至 {end}（{status}）。</translation>
    </message>
    <message>
        <source>No contract in force.</source>
        <translation>目前没有有效协议。</translation>
    </message>
    <message>
        <source> (serves {village})</source>
        <translation>（服务{village}）</translation>
    </message>
    <message>
        <source>Start (day after the old end)</source>
        <translation>开始日期（原协议到期次日）</translation>
    </message>
    <message>
        <source>New team from</source>
        <translation>新团队起始日期</translation>
    </message>
    <message>
        <source>{name} is marked as moved out or deceased and cannot be signed.</source>
        <translation>{name}已登记为迁出或死亡，不能签约。</translation>
    </message>
    <message>
        <source>No longer offered, left out of the renewal: {names}</source>
        <translation>以下服务包已停止提供，续约时不再包含：{names}</translation>
    </message>
    <message>
        <source>No package is offered on this date.</source>
        <translation>该日期没有可提供的服务包。</translation>
    </message>
    <message>
        <source>{name} (free, always included)</source>
        <translation>{name}（免费，必选）</translation>
    </message>
    <message>
        <source>{name} (free)</source>
        <translation>{name}（免费）</translation>
    </message>
    <message>
        <source>insurance fund {insurance}, public-health funds {public}, self-pay {own}</source>
        <translation>医保基金 {insurance}，公卫经费 {public}，个人自付 {own}</translation>
    </message>
    <message>
        <source>After signing: team {team}, doctor {doctor}</source>
        <translation>签约后：团队 {team}，医生 {doctor}</translation>
    </message>
    <message>
        <source>For: {who}</source>
        <translation>适用：{who}</translation>
    </message>
    <message>
        <source>Total {total}, of which the resident pays {own}</source>
        <translation>合计 {total}，其中居民自付 {own}</translation>
    </message>
    <message>
        <source>A minor or a resident lacking capacity signs through a guardian.</source>
        <translation>未成年人或无民事行为能力者须由监护人代签。</translation>
    </message>
    <message>
        <source>Recorded as lacking capacity: signs through a guardian.</source>
        <translation>已登记为无民事行为能力：须由监护人代签。</translation>
    </message>
    <message>
        <source>Past the capacity: a supervisor must confirm before signing.</source>
        <translation>已超出签约上限：须经主管确认后才能签约。</translation>
    </message>
    <message>
        <source>Nearly full: 90% or more of the capacity is taken.</source>
        <translation>接近上限：已签约人数达到上限的 90% 以上。</translation>
    </message>
    <message>
        <source>Ask a supervisor to enter their user name and password below.</source>
        <translation>请主管在下方输入用户名和密码。</translation>
    </message>
    <message>
        <source>Tick the confirmation to sign past the capacity.</source>
        <translation>超额签约请先勾选主管确认。</translation>
    </message>
</context>
<context>
    <name>StatisticsPage</name>
    <message>
        <source>Statistics</source>
        <translation>签约统计</translation>
    </message>
    <message>
        <source>Village code</source>
        <translation>村居代码</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村居</translation>
    </message>
    <message>
        <source>Denominator</source>
        <translation>分母</translation>
    </message>
    <message>
        <source>Denominator source</source>
        <translation>分母口径</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>已签约</translation>
    </message>
    <message>
        <source>Signing rate</source>
        <translation>签约率</translation>
    </message>
    <message>
        <source>This year to the date</source>
        <translation>本年至统计日</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>上月</translation>
    </message>
    <message>
        <source>This quarter</source>
        <translation>本季度</translation>
    </message>
    <message>
        <source>Other period</source>
        <translation>其他期间</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Targets…</source>
        <translation>目标…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Excel workbook (.xlsx)…</source>
        <translation>Excel 工作簿 (.xlsx)…</translation>
    </message>
    <message>
        <source>PDF report (.pdf)…</source>
        <translation>PDF 报表 (.pdf)…</translation>
    </message>
    <message>
        <source>CSV for other programs (.csv)…</source>
        <translation>供其他程序使用的 CSV (.csv)…</translation>
    </message>
    <message>
        <source>As of</source>
        <translation>截至</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>Villages</source>
        <translation>村居</translation>
    </message>
    <message>
        <source>Key populations</source>
        <translation>重点人群</translation>
    </message>
    <message>
        <source>Teams and doctors</source>
        <translation>团队和医生</translation>
    </message>
    <message>
        <source>12-month trend</source>
        <translation>近 12 个月趋势</translation>
    </message>
    <message>
        <source>Compared with the target</source>
        <translation>与目标相比</translation>
    </message>
    <message>
        <source>Double-click a village (or click its bar) for the residents to call: not signed, or their contract ends within 30 days.</source>
        <translation>双击某个村居（或点击其柱形）查看待联系居民：未签约的，或签约 30 天内到期的。</translation>
    </message>
    <message>
        <source>Population group</source>
        <translation>人群</translation>
    </message>
    <message>
        <source>Residents</source>
        <translation>居民</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Double-click a key population for its residents to call, in every village. The denominator is the residents of the population living here on the day; a resident of several populations counts once in the total.</source>
        <translation>双击某类重点人群查看各村待联系的居民。分母为当日在本地居住的该人群居民；属于多类人群的居民在合计中只计一次。</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>签约上限</translation>
    </message>
    <message>
        <source>Share of the capacity</source>
        <translation>占上限比例</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>Responsible doctor</source>
        <translation>责任医生</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Personalised package</source>
        <translation>个性化服务包</translation>
    </message>
    <message>
        <source>Contracts</source>
        <translation>签约数</translation>
    </message>
    <message>
        <source>Fees (yuan)</source>
        <translation>费用（元）</translation>
    </message>
    <message>
        <source>Insurance fund</source>
        <translation>医保基金</translation>
    </message>
    <message>
        <source>Public-health funds</source>
        <translation>公共卫生经费</translation>
    </message>
    <message>
        <source>Self-pay</source>
        <translation>个人自付</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>Figures as of {date}.</source>
        <translation>数据截至 {date}。</translation>
    </message>
    <message>
        <source>Target met</source>
        <translation>已达目标</translation>
    </message>
    <message>
        <source>Within 5 points</source>
        <translation>差距在 5 个百分点内</translation>
    </message>
    <message>
        <source>Behind the target</source>
        <translation>落后于目标</translation>
    </message>
    <message>
        <source>Overall signing rate</source>
        <translation>总体签约率</translation>
    </message>
    <message>
        <source>target {rate}</source>
        <translation>目标 {rate}</translation>
    </message>
    <message>
        <source>no target set</source>
        <translation>未设目标</translation>
    </message>
    <message>
        <source>Denominators: {population} of {villages} villages use their official population for {year}, the others the residents registered on the day. Overall denominator: {source}.</source>
        <translation>分母：{villages} 个村居中有 {population} 个采用 {year} 年的常住人口，其余采用当日登记的居民数。总体分母：{source}。</translation>
    </message>
    <message>
        <source>Target {rate}</source>
        <translation>目标 {rate}</translation>
    </message>
    <message>
        <source>Signing rate by village as of {date}</source>
        <translation>截至 {date} 各村居签约率</translation>
    </message>
    <message>
        <source>All residents</source>
        <translation>全部居民</translation>
    </message>
    <message>
        <source>From {start} to {end} (signing date; endings by their date)</source>
        <translation>{start} 至 {end}（按签约日期；解约按解约日期）</translation>
    </message>
    <message>
        <source>New contracts (first signing)</source>
        <translation>新签约（首次签约）</translation>
    </message>
    <message>
        <source>Renewals signed</source>
        <translation>已续约</translation>
    </message>
    <message>
        <source>Contracts due for renewal</source>
        <translation>应续约的签约</translation>
    </message>
    <message>
        <source>Of those renewed</source>
        <translation>其中已续约</translation>
    </message>
    <message>
        <source>Renewal rate</source>
        <translation>续约率</translation>
    </message>
    <message>
        <source>Ended: {reason}</source>
        <translation>解约：{reason}</translation>
    </message>
    <message>
        <source>Contracts with a personalised package</source>
        <translation>含个性化服务包的签约</translation>
    </message>
    <message>
        <source>Personalised package fees (yuan)</source>
        <translation>个性化服务包费用（元）</translation>
    </message>
    <message>
        <source>Signing rate at each month end (this month: the report day)</source>
        <translation>各月末签约率（本月为统计日）</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>PDF report (*.pdf)</source>
        <translation>PDF 报表 (*.pdf)</translation>
    </message>
    <message>
        <source>CSV file (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Export the signing summary</source>
        <translation>导出签约汇总</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Saved {path}.</source>
        <translation>已保存 {path}。</translation>
    </message>
    <message>
        <source>The total, {total}, is the number of residents registered on the day.</source>
        <translation>合计 {total} 即统计日的在册居民数。</translation>
    </message>
    <message>
        <source>The total, {total}, differs from the {registered} residents registered on the day because {population} villages count their official population (常住人口), not their registered residents.</source>
        <translation>合计 {total} 与统计日在册居民数 {registered} 不同，是因为其中 {population} 个村以常住人口而不是在册居民为分母。</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <source>Imported</source>
        <translation>导入完成</translation>
    </message>
    <message>
        <source>The rows are in the database and can be found at once.</source>
        <translation>数据已写入，现在即可查找。</translation>
    </message>
    <message>
        <source>{file} is imported: {rows} rows.</source>
        <translation>已导入 {file}：共 {rows} 行。</translation>
    </message>
    <message>
        <source>The import is recorded in the audit log with the file name and these counts.</source>
        <translation>本次导入已连同文件名和以上数量记入审计日志。</translation>
    </message>
</context>
<context>
    <name>Sync</name>
    <message>
        <source>Waiting</source>
        <translation>待上报</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>上报中</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>已上报</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>The county server could not be reached. The report stays queued and is sent at the next try.</source>
        <translation>无法连接县级平台。报表留在待上报队列中，下次同步时自动上报。</translation>
    </message>
    <message>
        <source>The county server is busy and asked to wait. The report stays queued and is sent at the next try.</source>
        <translation>县级平台繁忙，要求稍后再报。报表留在待上报队列中，下次同步时自动上报。</translation>
    </message>
    <message>
        <source>The county server&apos;s certificate could not be verified. If the county uses its own certificates, set their CA bundle in the settings. The report stays queued.</source>
        <translation>无法验证县级平台的证书。如果县里使用自己签发的证书，请在设置中指定其 CA 证书文件。报表留在待上报队列中。</translation>
    </message>
    <message>
        <source>The county server did not accept the access token. Check the token in the settings (ask the county for a new one), then sync again.</source>
        <translation>县级平台不接受访问令牌。请检查设置中的令牌（可向县卫健委索取新令牌），然后重新同步。</translation>
    </message>
    <message>
        <source>The county server does not know this address. Check the server address in the settings, then sync again.</source>
        <translation>县级平台上没有这个地址。请检查设置中的服务器地址，然后重新同步。</translation>
    </message>
    <message>
        <source>The county server refused the report. Show the server&apos;s answer to the county, then sync again.</source>
        <translation>县级平台拒收了报表。请把服务器的答复告知县卫健委，处理后重新同步。</translation>
    </message>
    <message>
        <source>The county server took the report but ignored some values. Show the server&apos;s answer to the county; the mapping file may need correcting.</source>
        <translation>县级平台接收了报表，但忽略了部分数值。请把服务器的答复告知县卫健委，可能需要更正对照文件。</translation>
    </message>
    <message>
        <source>The county server&apos;s answer could not be read, so the delivery is not confirmed. Ask the county to check their server, then sync again.</source>
        <translation>无法读取县级平台的答复，上报未得到确认。请县卫健委检查服务器，然后重新同步。</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Sync</source>
        <translation>数据上报</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Only a supervisor or an administrator can sync.</source>
        <translation>只有主管或管理员可以同步。</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Signed / denominator</source>
        <translation>签约数 / 分母</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>Last attempt</source>
        <translation>最近尝试</translation>
    </message>
    <message>
        <source>Server answer</source>
        <translation>服务器答复</translation>
    </message>
    <message>
        <source>Sending to the county server…</source>
        <translation>正在向县级平台上报…</translation>
    </message>
    <message>
        <source>Automatic sync: sending to the county server…</source>
        <translation>自动同步：正在向县级平台上报…</translation>
    </message>
    <message>
        <source>{time}: nothing to send; the county has the latest figures.</source>
        <translation>{time}：无需上报，县级平台已有最新数字。</translation>
    </message>
    <message>
        <source>{time}: {count} reports delivered to the county server.</source>
        <translation>{time}：已向县级平台上报 {count} 份报表。</translation>
    </message>
    <message>
        <source>{time}: not delivered. {reason}</source>
        <translation>{time}：未能上报。{reason}</translation>
    </message>
    <message>
        <source>{time}: some reports need attention (see the table).</source>
        <translation>{time}：有报表需要处理（见下表）。</translation>
    </message>
    <message>
        <source>County server: {url} ({protocol})</source>
        <translation>县级平台：{url}（{protocol}）</translation>
    </message>
    <message>
        <source>No county server is set up yet (Settings: upstream.url).</source>
        <translation>尚未配置县级平台地址（设置项 upstream.url）。</translation>
    </message>
    <message>
        <source>{waiting} reports waiting, {failed} need attention; last delivered: {last}</source>
        <translation>{waiting} 份待上报，{failed} 份需处理；最近上报：{last}</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>No reports have been prepared for the county yet.</source>
        <translation>还没有生成需上报县级平台的报表。</translation>
    </message>
    <message>
        <source>Final, as of {date}</source>
        <translation>月末终报，截至 {date}</translation>
    </message>
    <message>
        <source>Open month, as of {date}</source>
        <translation>本月，截至 {date}</translation>
    </message>
</context>
<context>
    <name>TargetsDialog</name>
    <message>
        <source>Signing-rate targets</source>
        <translation>签约率目标</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年份</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>Overall (all residents)</source>
        <translation>总体（全部居民）</translation>
    </message>
    <message>
        <source>Villages are compared with the overall target. Leave a field at “not set” to have no target for it.</source>
        <translation>各村居与总体目标比较。保持“未设置”表示该项不设目标。</translation>
    </message>
</context>
<context>
    <name>TeamDialog</name>
    <message>
        <source>New team</source>
        <translation>新建团队</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Active (can sign new contracts)</source>
        <translation>在用（可签新协议）</translation>
    </message>
    <message>
        <source>Doctor</source>
        <translation>医生</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>所在机构</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>团队角色</translation>
    </message>
    <message>
        <source>Add member</source>
        <translation>添加成员</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>团队名称</translation>
    </message>
    <message>
        <source>Leader</source>
        <translation>团队长</translation>
    </message>
    <message>
        <source>Capacity (residents)</source>
        <translation>签约上限（人）</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>团队成员</translation>
    </message>
    <message>
        <source>Villages served</source>
        <translation>服务村</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移出</translation>
    </message>
</context>
<context>
    <name>TeamForms</name>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>TeamsPage</name>
    <message>
        <source>Teams &amp; doctors</source>
        <translation>团队与医生</translation>
    </message>
    <message>
        <source>Teams</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>Doctors</source>
        <translation>医生</translation>
    </message>
    <message>
        <source>Service packages</source>
        <translation>服务包</translation>
    </message>
    <message>
        <source>Institutions</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>Only supervisors and administrators change teams, doctors and packages.</source>
        <translation>团队、医生和服务包只能由主管或管理员修改。</translation>
    </message>
    <message>
        <source>Team / member</source>
        <translation>团队 / 成员</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>Title / phone</source>
        <translation>职称 / 电话</translation>
    </message>
    <message>
        <source>Signed / capacity</source>
        <translation>已签约 / 容量</translation>
    </message>
    <message>
        <source>New team…</source>
        <translation>新建团队…</translation>
    </message>
    <message>
        <source>Edit team…</source>
        <translation>修改团队…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>职称</translation>
    </message>
    <message>
        <source>Licence no.</source>
        <translation>执业证书编号</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>New doctor…</source>
        <translation>新增医生…</translation>
    </message>
    <message>
        <source>Edit doctor…</source>
        <translation>修改医生…</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>服务包</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Insurance fund</source>
        <translation>医保基金</translation>
    </message>
    <message>
        <source>Public-health funds</source>
        <translation>公卫经费</translation>
    </message>
    <message>
        <source>Self-pay</source>
        <translation>个人自付</translation>
    </message>
    <message>
        <source>For</source>
        <translation>适用人群</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>有效期</translation>
    </message>
    <message>
        <source>Contracts</source>
        <translation>已签协议</translation>
    </message>
    <message>
        <source>A new price or content is a new version from a date; contracts signed before keep the version and fees they were signed with.</source>
        <translation>调整价格或服务内容时，从某日起新建一个版本；此前签订的协议仍按签约时的版本和收费执行。</translation>
    </message>
    <message>
        <source>New package…</source>
        <translation>新建服务包…</translation>
    </message>
    <message>
        <source>New version…</source>
        <translation>新建版本…</translation>
    </message>
    <message>
        <source>Stop offering…</source>
        <translation>停止提供…</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Supervision phone</source>
        <translation>监督电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>New institution…</source>
        <translation>新增机构…</translation>
    </message>
    <message>
        <source>Edit institution…</source>
        <translation>修改机构…</translation>
    </message>
    <message>
        <source>{teams} teams, {signed} contracts in force; rows from 90% of a capacity are highlighted</source>
        <translation>共 {teams} 个团队，{signed} 份有效协议；签约人数达上限 90% 的以颜色标出</translation>
    </message>
    <message>
        <source>{name} (closed)</source>
        <translation>{name}（已撤销）</translation>
    </message>
    <message>
        <source>as responsible doctor: {load}</source>
        <translation>作为责任医生：{load}</translation>
    </message>
    <message>
        <source>{name} (left)</source>
        <translation>{name}（已离岗）</translation>
    </message>
    <message>
        <source>from {start}</source>
        <translation>{start} 起</translation>
    </message>
    <message>
        <source>{start} to {end}</source>
        <translation>{start} 至 {end}</translation>
    </message>
    <message>
        <source>everyone</source>
        <translation>全体居民</translation>
    </message>
    <message>
        <source>{kind} (this database)</source>
        <translation>{kind}（本机构）</translation>
    </message>
    <message>
        <source>Leader: {name}</source>
        <translation>团队长：{name}</translation>
    </message>
    <message>
        <source>Villages: {names}</source>
        <translation>服务村居：{names}</translation>
    </message>
</context>
<context>
    <name>Terms</name>
    <message>
        <source>Moved out</source>
        <translation>迁出</translation>
    </message>
    <message>
        <source>Deceased</source>
        <translation>死亡</translation>
    </message>
    <message>
        <source>At the resident&apos;s request</source>
        <translation>居民申请解约</translation>
    </message>
    <message>
        <source>Unreachable for a year</source>
        <translation>连续一年无法联系</translation>
    </message>
    <message>
        <source>Refused service for a year</source>
        <translation>连续一年拒绝服务</translation>
    </message>
    <message>
        <source>Changed team</source>
        <translation>更换团队</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Reached its end, not renewed</source>
        <translation>到期未续约</translation>
    </message>
    <message>
        <source>Agrees to sign</source>
        <translation>同意签约</translation>
    </message>
    <message>
        <source>Not signing for now</source>
        <translation>暂不签约</translation>
    </message>
    <message>
        <source>Could not be reached</source>
        <translation>无法联系</translation>
    </message>
    <message>
        <source>Away for a long time</source>
        <translation>长期外出</translation>
    </message>
    <message>
        <source>Refuses to sign</source>
        <translation>本人拒签</translation>
    </message>
    <message>
        <source>Already signed elsewhere</source>
        <translation>已在他处签约</translation>
    </message>
    <message>
        <source>Moved out, not recorded</source>
        <translation>迁出未登记</translation>
    </message>
    <message>
        <source>Deceased, not recorded</source>
        <translation>死亡未登记</translation>
    </message>
    <message>
        <source>Wrong contact details</source>
        <translation>联系方式错误</translation>
    </message>
</context>
<context>
    <name>UpstreamPanel</name>
    <message>
        <source>County server (upstream reporting)</source>
        <translation>县级平台（数据上报）</translation>
    </message>
    <message>
        <source>FHIR R4 (MeasureReport)</source>
        <translation>FHIR R4（MeasureReport）</translation>
    </message>
    <message>
        <source>DHIS2 (data value sets)</source>
        <translation>DHIS2（数据值集）</translation>
    </message>
    <message>
        <source>FHIR: the county&apos;s Measure URL</source>
        <translation>FHIR：县里的指标（Measure）地址</translation>
    </message>
    <message>
        <source>DHIS2: the mapping file the county gives</source>
        <translation>DHIS2：县里提供的对照文件</translation>
    </message>
    <message>
        <source>only for a county&apos;s own certificates</source>
        <translation>仅在县里使用自签证书时填写</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>上报协议</translation>
    </message>
    <message>
        <source>Access token</source>
        <translation>访问令牌</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>指标地址</translation>
    </message>
    <message>
        <source>Mapping file</source>
        <translation>对照文件</translation>
    </message>
    <message>
        <source>CA bundle</source>
        <translation>CA 证书文件</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <source>saved; type a new one to replace it</source>
        <translation>已保存；输入新令牌可替换</translation>
    </message>
    <message>
        <source>the token the county gives</source>
        <translation>县里提供的令牌</translation>
    </message>
    <message>
        <source>County server settings saved.</source>
        <translation>县级平台设置已保存。</translation>
    </message>
    <message>
        <source>Connecting to the county server…</source>
        <translation>正在连接县级平台…</translation>
    </message>
    <message>
        <source>Connected: the county server answered and took the token.</source>
        <translation>已连接：县级平台已应答并接受令牌。</translation>
    </message>
</context>
<context>
    <name>VillageBatchDialog</name>
    <message>
        <source>Print a village&apos;s new contracts</source>
        <translation>打印某村新签的协议</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村</translation>
    </message>
    <message>
        <source>Signed on or after</source>
        <translation>签约日期不早于</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>No contracts of this village were signed on or after that date.</source>
        <translation>这个村在该日期及以后没有签订协议。</translation>
    </message>
</context>
</TS>
