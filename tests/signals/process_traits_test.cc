#include "c2hunt/signals/process_traits.h"

#include <gtest/gtest.h>

namespace c2hunt::signals {
namespace {

records::Process p(const std::string& exe, const std::string& cmd = "") {
  records::Process r;
  r.executable = exe;
  r.command_line = cmd;
  return r;
}

TEST(ProcessTraits, UnknownProcess) {
  ProcessTraits t = assess_process(records::Process{}, {});
  EXPECT_FALSE(t.known);
  EXPECT_FALSE(t.browser || t.lolbin || t.user_writable_location);
}

TEST(ProcessTraits, BrowsersInTheirVendorFoldersAnyCaseAnySeparator) {
  for (const char* exe : {"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
                          "c:/program files (x86)/microsoft/edge/application/MSEDGE.EXE",
                          "C:\\Program Files\\Mozilla Firefox\\firefox.exe",
                          "C:\\Users\\bob\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe",
                          "C:\\Program Files\\BraveSoftware\\Brave-Browser\\Application\\brave.exe",
                          "C:\\Program Files\\Internet Explorer\\iexplore.exe"}) {
    ProcessTraits t = assess_process(p(exe), {});
    EXPECT_TRUE(t.known);
    EXPECT_TRUE(t.browser) << exe;
    EXPECT_FALSE(t.browser_name_wrong_path) << exe;
    EXPECT_FALSE(t.lolbin) << exe;
  }
}

TEST(ProcessTraits, BrowserNameInAWrongFolderIsMasquerading) {
  ProcessTraits t = assess_process(p("C:\\Users\\bob\\Downloads\\chrome.exe"), {});
  EXPECT_FALSE(t.browser);
  EXPECT_TRUE(t.browser_name_wrong_path);
  EXPECT_TRUE(t.user_writable_location);
  EXPECT_NE(t.detail.find("C:\\Users\\bob\\Downloads\\chrome.exe"), std::string::npos) << t.detail;
  EXPECT_TRUE(assess_process(p("C:\\Windows\\System32\\firefox.exe"), {}).browser_name_wrong_path);
}

TEST(ProcessTraits, UserWritableLocations) {
  for (const char* exe : {"C:\\Users\\a\\Desktop\\plink.exe", "C:\\Users\\a\\Downloads\\x.exe",
                          "C:\\Users\\a\\AppData\\Roaming\\x.exe", "C:\\Users\\a\\AppData\\Local\\Temp\\x.exe",
                          "C:\\Users\\Public\\x.exe", "C:\\ProgramData\\x\\y.exe", "C:\\$Recycle.Bin\\x.exe",
                          "c:/windows/temp/x.exe", "D:\\Users\\a\\Desktop\\x.exe"})
    EXPECT_TRUE(assess_process(p(exe), {}).user_writable_location) << exe;
  for (const char* exe : {"C:\\Windows\\System32\\svchost.exe", "C:\\Program Files\\App\\app.exe",
                          "C:\\Users\\a\\x.exe"})
    EXPECT_FALSE(assess_process(p(exe), {}).user_writable_location) << exe;
}

TEST(ProcessTraits, Lolbins) {
  for (const char* exe : {"C:\\Windows\\System32\\rundll32.exe", "C:\\Windows\\SysWOW64\\regsvr32.exe",
                          "C:\\Windows\\System32\\mshta.exe",
                          "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                          "C:\\Program Files\\PowerShell\\7\\pwsh.exe", "C:\\Windows\\System32\\certutil.exe",
                          "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\MSBuild.exe",
                          "C:\\Windows\\System32\\wscript.exe", "C:\\Windows\\System32\\cscript.exe",
                          "C:\\Windows\\System32\\bitsadmin.exe", "C:\\Windows\\System32\\cmstp.exe",
                          "C:\\Windows\\System32\\msiexec.exe", "C:\\Windows\\System32\\odbcconf.exe",
                          "C:\\Windows\\Microsoft.NET\\Framework\\v4.0.30319\\InstallUtil.exe",
                          "C:\\Windows\\Microsoft.NET\\Framework\\v4.0.30319\\RegAsm.exe",
                          "C:\\Windows\\Microsoft.NET\\Framework\\v4.0.30319\\RegSvcs.exe"})
    EXPECT_TRUE(assess_process(p(exe), {}).lolbin) << exe;
  EXPECT_FALSE(assess_process(p("C:\\Windows\\System32\\svchost.exe"), {}).lolbin);
  EXPECT_FALSE(assess_process(p("C:\\Tools\\notrundll32.exe"), {}).lolbin);
}

TEST(ProcessTraits, Rundll32WithoutArguments) {
  EXPECT_TRUE(assess_process(p("C:\\Windows\\System32\\rundll32.exe", "\"C:\\Windows\\System32\\rundll32.exe\""), {})
                  .lolbin_without_arguments);
  EXPECT_TRUE(assess_process(p("C:\\Windows\\System32\\rundll32.exe", "rundll32.exe  "), {}).lolbin_without_arguments);
  ProcessTraits with = assess_process(
      p("C:\\Windows\\System32\\rundll32.exe", "rundll32.exe shell32.dll,Control_RunDLL"), {});
  EXPECT_TRUE(with.lolbin);
  EXPECT_FALSE(with.lolbin_without_arguments);
  EXPECT_NE(with.detail.find("shell32.dll,Control_RunDLL"), std::string::npos) << with.detail;
  // Unknown command line: no claim about arguments.
  EXPECT_FALSE(assess_process(p("C:\\Windows\\System32\\rundll32.exe"), {}).lolbin_without_arguments);
}

TEST(ProcessTraits, SuspiciousLineage) {
  std::vector<records::Process> lineage = {p("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"),
                                           p("C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE"),
                                           p("C:\\Windows\\explorer.exe")};
  ProcessTraits t = assess_process(p("C:\\Users\\a\\AppData\\Local\\Temp\\payload.exe"), lineage);
  EXPECT_TRUE(t.suspicious_lineage);
  EXPECT_EQ(t.lineage_detail, "explorer.exe > winword.exe > powershell.exe > payload.exe");
  EXPECT_NE(t.detail.find("Office app winword.exe"), std::string::npos) << t.detail;
  EXPECT_NE(t.detail.find("script host powershell.exe"), std::string::npos) << t.detail;

  ProcessTraits benign = assess_process(p("C:\\Program Files\\App\\app.exe"),
                                        {p("C:\\Windows\\explorer.exe"), p("C:\\Windows\\System32\\userinit.exe")});
  EXPECT_FALSE(benign.suspicious_lineage);
  EXPECT_EQ(benign.lineage_detail, "userinit.exe > explorer.exe > app.exe");
  EXPECT_TRUE(benign.detail.empty()) << benign.detail;
}

}  // namespace
}  // namespace c2hunt::signals
